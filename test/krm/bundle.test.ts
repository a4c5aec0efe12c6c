// The built bundle as kpt and kustomize run it: `node fn.js` copied alone into an empty directory (as
// in the image), a ResourceList on stdin. Exit codes, stdout and stderr are the protocol.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FN_BUNDLE, run, tempDir } from '../e2e/tools';
import { parseDocument } from '../../fn/krm/yaml';

function lonelyBundle(): string {
  const dir = tempDir('fn-alone');
  fs.copyFileSync(FN_BUNDLE, path.join(dir, 'fn.js'));
  return dir;
}

const runFn = (input: string) => {
  const dir = lonelyBundle();
  // No inherited environment and no node_modules anywhere up the tree from the temp dir: only the bundle.
  return run(process.execPath, [path.join(dir, 'fn.js')], { cwd: dir, input, env: {} });
};

const goodList = JSON.stringify({
  apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [{
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' },
    status: { addresses: [{ type: 'ExternalIP', address: '35.1.2.3' }], conditions: [{ type: 'Ready', status: 'True' }] },
  }],
  functionConfig: { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' }, spec: { nodes: [{ name: 'egress' }] } },
});

test('bundle: JSON in, YAML ResourceList out, exit 0, nothing on stderr', () => {
  const r = runFn(goodList);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const out = parseDocument(r.stdout) as { kind: string; items: Array<{ kind: string; spec?: { rule?: Array<{ match: { config: { srcIpRanges: string[] } } }> } }> };
  assert.equal(out.kind, 'ResourceList');
  assert.deepEqual(out.items.map((i) => i.kind), ['Node', 'ComputeSecurityPolicy']);
  assert.deepEqual(out.items[1]!.spec!.rule![0]!.match.config.srcIpRanges, ['35.1.2.3/32']);
});

test('bundle: bad input exits 1 with a ResourceList of results on stdout and a summary on stderr', async (t) => {
  const cases: Array<{ name: string; input: string; stderr: RegExp }> = [
    { name: 'empty stdin', input: '', stderr: /^error: stdin is empty/ },
    { name: 'malformed YAML', input: 'kind: ResourceList\nitems: [\n', stderr: /^error: malformed YAML/ },
    { name: 'malformed JSON-looking input', input: '{"kind": ', stderr: /^error: malformed YAML/ },
    { name: 'not a ResourceList', input: 'apiVersion: v1\nkind: ConfigMap\n', stderr: /^error: input must be a ResourceList/ },
    { name: 'a scalar', input: '42\n', stderr: /^error: input is not a ResourceList object/ },
    { name: 'wrong types', input: goodList.replace('"spec":{"nodes"', '"spec":{"preview":"yes","nodes"'), stderr: /spec\.preview: "yes" is invalid/ },
    { name: 'above maxRules', input: goodList.replace('"spec":{"nodes"', '"spec":{"limits":{"maxRules":1},"nodes"'), stderr: /the policy needs 2 rules .* limits\.maxRules is 1/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const r = runFn(c.input);
      assert.equal(r.status, 1);
      assert.match(r.stderr, c.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      const out = parseDocument(r.stdout) as { kind: string; results: Array<{ severity: string }> };
      assert.equal(out.kind, 'ResourceList');
      assert.ok(out.results.some((x) => x.severity === 'error'));
    });
  }
});
