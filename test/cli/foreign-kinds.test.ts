// The CLI reads objects the way the KRM function does: SecurityPolicies of the project's API group,
// core v1 Nodes; another project's SecurityPolicy and a CRD's `Node` kind pass through untouched.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAll } from 'js-yaml';
import { runCli, tempDir } from './helpers';

const OURS = `apiVersion: security.example.org/v1alpha1
kind: SecurityPolicy
metadata: {name: web}
spec:
  sources: [{name: office, cidrs: [203.0.113.0/24]}]
  nodes: [{name: egress}]
`;
const ENVOY = `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: {name: cors, namespace: gw}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: web}]
  cors: {allowOrigins: ["*"]}
`;
const node = (apiVersion: string, name: string, ip: string) => `apiVersion: ${apiVersion}
kind: Node
metadata: {name: ${name}}
status:
  addresses: [{type: ExternalIP, address: ${ip}}]
  conditions: [{type: Ready, status: "True"}]
`;

type Doc = { kind: string; apiVersion: string; spec: { rule?: Array<{ action: string; match: { config: { srcIpRanges: string[] } } }> } };
const allowed = (docs: Doc[]) => docs.filter((d) => d.kind === 'ComputeSecurityPolicy')
  .flatMap((p) => p.spec.rule!.filter((r) => r.action === 'allow').flatMap((r) => r.match.config.srcIpRanges));

function folder(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('render reads only what is ours', () => {
  it('an Envoy Gateway SecurityPolicy passes through --passthrough untouched and fails nothing', async () => {
    const dir = folder({ 'sp.yaml': OURS, 'envoy.yaml': ENVOY, 'nodes.yaml': node('v1', 'n1', '35.1.2.3') });
    const r = await runCli(['render', '--passthrough', dir]);
    assert.equal(r.code, 0, r.stderr);
    const docs = loadAll(r.stdout) as Doc[];
    assert.deepEqual(docs.map((d) => `${d.apiVersion} ${d.kind}`), ['compute.cnrm.cloud.google.com/v1beta1 ComputeSecurityPolicy', 'gateway.envoyproxy.io/v1alpha1 SecurityPolicy']);
    assert.deepEqual(docs[1], loadAll(ENVOY)[0]);
    assert.deepEqual(allowed(docs), ['35.1.2.3/32', '203.0.113.0/24']);
  });

  it('only Envoy Gateway SecurityPolicies: no SecurityPolicy of ours', async () => {
    const r = await runCli(['render', folder({ 'envoy.yaml': ENVOY })]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no SecurityPolicy found/);
  });

  it('a SecurityPolicy of another group is ours as a ResourceList functionConfig', async () => {
    const list = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: loadAll(node('v1', 'n1', '35.1.2.3')), functionConfig: { ...(loadAll(OURS)[0] as object), apiVersion: 'platform.acme.io/v1' } };
    const r = await runCli(['render', '-'], { input: JSON.stringify(list) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(allowed(loadAll(r.stdout) as Doc[]), ['35.1.2.3/32', '203.0.113.0/24']);
  });

  it('an example.com/v1 Node is not a Node, alone or in a v1 List', async () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${node('example.com/v1', 'fake2', '35.77.77.77').trimEnd().split('\n').join('\n  ')}\n`;
    const dir = folder({ 'sp.yaml': OURS, 'real.yaml': node('v1', 'n1', '35.1.2.3'), 'fake.yaml': node('example.com/v1', 'fake', '35.66.66.66'), 'list.yaml': list });
    const r = await runCli(['render', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(allowed(loadAll(r.stdout) as Doc[]), ['35.1.2.3/32', '203.0.113.0/24']);
  });
});
