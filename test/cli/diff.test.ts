// The diff presentation in colour (what a terminal gets) and the matching rules, in-process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLOR, diffPolicy, formatDiff, PLAIN } from '../../fn/cli/diff';
import { policyView } from '../../fn/cli/policy-model';

const rule = (priority: number, description: string, ranges: string[], action = 'allow') => ({
  action, description, priority, preview: false, match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ranges } },
});
const policy = (rules: object[]) => ({ name: 'p', type: 'CLOUD_ARMOR', description: 'd', rules });

describe('diff', () => {
  const want = policyView(policy([rule(10, 'office 1/1', ['192.0.2.0/24', '198.51.100.1/32']), rule(2147483647, 'default rule', ['*'], 'deny(403)')]));

  it('normalizes bare addresses before comparing', () => {
    const live = policyView(policy([rule(10, 'office 1/1', ['198.51.100.1', '192.0.2.0/24']), rule(2147483647, 'default rule', ['*'], 'deny(403)')]));
    assert.equal(diffPolicy(want, live, 'proj').hasChanges, false);
  });

  it('colours additions green, removals red, changes yellow', () => {
    const live = policyView(policy([rule(10, 'office 1/1', ['192.0.2.0/24', '203.0.113.9/32']), rule(77, 'by hand', ['10.0.0.0/8']), rule(2147483647, 'default rule', ['*'], 'deny(403)')]));
    const d = diffPolicy(want, live, 'proj');
    const text = formatDiff(d, COLOR);
    assert.match(text, /\u001b\[33m  ~ rule 10  allow  "office 1\/1"\u001b\[0m/);
    assert.match(text, /\u001b\[32m      \+ 198\.51\.100\.1\/32\u001b\[0m/);
    assert.match(text, /\u001b\[31m      - 203\.0\.113\.9\/32\u001b\[0m/);
    assert.match(text, /\u001b\[31m  - rule 77  allow  "by hand"\u001b\[0m/);
    assert.equal(formatDiff(d, PLAIN).includes('\u001b'), false);
    assert.equal(d.warnings.length, 1);
    assert.match(d.warnings[0]!, /live rule 77 was not created by this tool \(a description this tool does not write/);
  });
});
