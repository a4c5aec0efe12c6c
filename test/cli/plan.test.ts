// `security-policy plan` against a loopback Compute API: no change, changes, foreign rules, type change,
// 404 (to be created), 403, JSON output and exit codes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { computeDouble, restFromManifest, type ComputeDouble } from './compute';
import { FIXTURES, runCli } from './helpers';

type Rule = { action: string; description: string; priority: number; preview: boolean; match: { config: { srcIpRanges: string[] } } };
const GOLDEN = load(readFileSync(join(__dirname, 'golden', 'web-allowlist.yaml'), 'utf8').split(/^---$/m)[0]!) as Parameters<typeof restFromManifest>[0];
const rendered = () => restFromManifest(GOLDEN) as { rules: Rule[]; type: string; description: string };
const byDescription = (p: { rules: Rule[] }, d: string) => p.rules.find((r) => r.description === d)!;

describe('plan', () => {
  let api: ComputeDouble;
  before(async () => {
    api = await computeDouble();
  });
  after(() => api.close());

  const plan = (...extra: string[]) =>
    runCli(['plan', '--api-endpoint', api.url, ...extra, join(FIXTURES, 'policy.yaml'), join(FIXTURES, 'nodes.yaml')]);

  it('no changes: exit 0', async () => {
    api.policies.set('web-allowlist', rendered());
    api.requests.length = 0;
    const r = await plan();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ComputeSecurityPolicy web-allowlist (project my-gcp-project): no changes\n');
    assert.equal(r.stderr, '');
    assert.deepEqual(api.requests.map((u) => u.pathname), ['/compute/v1/projects/my-gcp-project/global/securityPolicies/web-allowlist']);
  });

  it('--project overrides spec.policy.projectID', async () => {
    api.policies.set('web-allowlist', rendered());
    api.requests.length = 0;
    const r = await plan('--project', 'other-project');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(api.requests[0]!.pathname, '/compute/v1/projects/other-project/global/securityPolicies/web-allowlist');
  });

  it('changes: exit 2 and a rule-by-rule diff with the CIDRs added and removed', async () => {
    const live = rendered();
    const egress = byDescription(live, 'gke-egress 1/1');
    egress.match.config.srcIpRanges = ['34.82.10.1/32', '34.82.10.99/32'];
    byDescription(live, 'partner-vpn 1/1').preview = true;
    live.rules = live.rules.filter((r) => r.description !== 'sapporo-office 1/1');
    api.policies.set('web-allowlist', live);
    const r = await plan();
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
    assert.equal(r.stdout, [
      'ComputeSecurityPolicy web-allowlist (project my-gcp-project)',
      '  ~ rule 270320000  allow  "partner-vpn 1/1"',
      '      ~ preview: true -> false',
      '  ~ rule 988300000  allow  "gke-egress 1/1"',
      '      + 34.82.10.2/32',
      '      - 34.82.10.99/32',
      '  + rule 1255440000  allow  "sapporo-office 1/1"',
      '      + 198.51.100.7/32',
      '      + 203.0.113.0/24',
      '      + 2001:db8:1234::/48',
      '  1 to add, 2 to change, 0 to remove.',
      '',
    ].join('\n'));
    assert.equal(r.stderr, '');
  });

  it('--output json', async () => {
    const live = rendered();
    byDescription(live, 'gke-egress 1/1').match.config.srcIpRanges = ['34.82.10.1/32'];
    api.policies.set('web-allowlist', live);
    const r = await plan('--output', 'json');
    assert.equal(r.code, 2, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.hasChanges, true);
    assert.equal(out.policies.length, 1);
    assert.deepEqual(out.policies[0].summary, { add: 0, change: 1, remove: 0 });
    assert.deepEqual(out.policies[0].rules, [{
      change: 'change', priority: 988300000, description: 'gke-egress 1/1', action: 'allow',
      cidrsAdded: ['34.82.10.2/32'], cidrsRemoved: [], fields: [],
    }]);
  });

  it('warns about live rules it did not create and about a type change', async () => {
    const live = rendered();
    live.type = 'CLOUD_ARMOR_EDGE';
    live.rules.push(
      { action: 'deny(403)', description: 'block scanners', priority: 1000, preview: false, match: { config: { srcIpRanges: ['192.0.2.66/32'] } }, versionedExpr: 'SRC_IPS_V1' } as Rule,
      { action: 'throttle', priority: 2000, match: { expr: { expression: "origin.region_code == 'AU'" } }, rateLimitOptions: { conformAction: 'allow', exceedAction: 'deny(429)', rateLimitThreshold: { count: 100, intervalSec: 60 } } } as unknown as Rule,
    );
    api.policies.set('web-allowlist', live);
    const r = await plan();
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /^  ~ type: "CLOUD_ARMOR_EDGE" -> "CLOUD_ARMOR"$/m);
    assert.match(r.stdout, /^  - rule 1000  deny\(403\)  "block scanners"   \(not created by this tool: action deny\(403\); a description this tool does not write \("block scanners"\)\)$/m);
    assert.match(r.stdout, /^      - 192\.0\.2\.66\/32$/m);
    assert.match(r.stdout, /^  - rule 2000  throttle  ""/m);
    assert.match(r.stdout, /0 to add, 0 to change, 2 to remove, 1 policy field\(s\) to change\.$/m);
    assert.match(r.stderr, /^warning: web-allowlist: type would change from CLOUD_ARMOR_EDGE to CLOUD_ARMOR, but type is immutable/m);
    assert.match(r.stderr, /^warning: web-allowlist: live rule 1000 was not created by this tool \(action deny\(403\).*it would be deleted/m);
    assert.match(r.stderr, /^warning: web-allowlist: live rule 2000 was not created by this tool \(action throttle; an expression match; rateLimitOptions/m);
  });

  it('a rule that moved priority is one change, matched by description', async () => {
    const live = rendered();
    const office = byDescription(live, 'sapporo-office 1/1');
    office.priority = 500;
    office.match.config.srcIpRanges = ['203.0.113.0/24'];
    api.policies.set('web-allowlist', live);
    const r = await plan();
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /^  ~ rule 1255440000  allow  "sapporo-office 1\/1"  \(moved from priority 500\)\n      \+ 198\.51\.100\.7\/32\n      \+ 2001:db8:1234::\/48$/m);
    assert.match(r.stdout, /0 to add, 1 to change, 0 to remove\./);
  });

  it('404: the policy will be created, every rule is an addition, exit 2', async () => {
    api.policies.delete('web-allowlist');
    const r = await plan();
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /^ComputeSecurityPolicy web-allowlist \(project my-gcp-project\): does not exist; it will be created$/m);
    assert.match(r.stdout, /4 to add, 0 to change, 0 to remove\./);
  });

  it('403: a clear error naming the permission, exit 1', async () => {
    api.policies.set('web-allowlist', 403);
    const r = await plan();
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: permission denied reading projects\/my-gcp-project\/global\/securityPolicies\/web-allowlist: .*compute\.securityPolicies\.get/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('an invalid SecurityPolicy fails before any API call', async () => {
    api.requests.length = 0;
    const r = await runCli(['plan', '--api-endpoint', api.url, '--project', 'p', join(FIXTURES, 'invalid.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /spec\.sources\[0\]\.cidrs\[1\]: "10\.0\.0\.300"/);
    assert.equal(api.requests.length, 0);
  });

  it('whenNoNodes: Keep keeps the live policy\'s node ranges', async () => {
    api.policies.set('web-allowlist', rendered());
    const policy = readFileSync(join(FIXTURES, 'policy.yaml'), 'utf8').replace('default-pool}', 'default-pool}\n      whenNoNodes: Keep');
    // The cluster has no Node, said explicitly (without the NodeSnapshot, no Node at all is an error).
    const input = `${policy}\n---\napiVersion: security.example.org/v1alpha1\nkind: NodeSnapshot\nmetadata: {name: nodes}\nnodeCount: 0\n`;
    const r = await runCli(['plan', '--api-endpoint', api.url, '-'], { input });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /keeping the 2 range\(s\) of the existing policy/);
  });

  it('whenNoNodes: Keep takes nothing from a live policy this SecurityPolicy did not generate', async () => {
    // Another description than this SecurityPolicy writes: not known to be its output.
    api.policies.set('web-allowlist', { ...rendered(), description: 'hand-made' });
    const policy = readFileSync(join(FIXTURES, 'policy.yaml'), 'utf8').replace('default-pool}', 'default-pool}\n      whenNoNodes: Keep');
    const input = `${policy}\n---\napiVersion: security.example.org/v1alpha1\nkind: NodeSnapshot\nmetadata: {name: nodes}\nnodeCount: 0\n`;
    const r = await runCli(['plan', '--api-endpoint', api.url, '-'], { input });
    assert.equal(r.code, 2, r.stderr + r.stdout);
    assert.match(r.stderr, /keeping the 0 range\(s\) of the existing policy .*no function-security-policy\/generated-from annotation/);
  });
});
