// Which items are ours under KRM: SecurityPolicies of the project's API group (plus the functionConfig,
// whatever its group) and core v1 Nodes. Another project's SecurityPolicy or a CRD's `Node` kind is
// passed through untouched and never read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKrm } from '../../fn/krm/main';

const ours = {
  apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' },
  spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes: [{ name: 'egress' }] },
};
const envoy = {
  apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'cors', namespace: 'gw' },
  spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'web' }], cors: { allowOrigins: ['*'] } },
};
const node = (apiVersion: string, name: string, ip: string) => ({
  apiVersion, kind: 'Node', metadata: { name },
  status: { addresses: [{ type: 'ExternalIP', address: ip }], conditions: [{ type: 'Ready', status: 'True' }] },
});

const run = (items: unknown[], functionConfig?: unknown) =>
  runKrm(JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, ...(functionConfig ? { functionConfig } : {}) }));

const allowed = (items: unknown[]): string[] => items
  .filter((i): i is { kind: string; spec: { rule: Array<{ action: string; match: { config: { srcIpRanges: string[] } } }> } } => (i as { kind?: string }).kind === 'ComputeSecurityPolicy')
  .flatMap((p) => p.spec.rule.filter((r) => r.action === 'allow').flatMap((r) => r.match.config.srcIpRanges));

test('an Envoy Gateway SecurityPolicy next to ours passes through untouched', () => {
  const out = run([ours, envoy, node('v1', 'n1', '35.1.2.3')]);
  assert.equal(out.ok, true, JSON.stringify(out.output.results));
  assert.deepEqual(JSON.parse(JSON.stringify(out.output.items[1])), envoy);
  assert.equal(out.output.items.filter((i) => i.kind === 'ComputeSecurityPolicy').length, 1);
  assert.deepEqual(allowed(out.output.items), ['35.1.2.3/32', '203.0.113.0/24']);
});

test('only an Envoy Gateway SecurityPolicy: not ours, nothing to do is an error that names our group', () => {
  const out = run([envoy]);
  assert.equal(out.ok, false);
  assert.match(out.summary.join('\n'), /security\.example\.org/);
  assert.deepEqual(JSON.parse(JSON.stringify(out.output.items)), [envoy]);
});

test('the functionConfig is ours whatever its group', () => {
  const out = run([node('v1', 'n1', '35.1.2.3')], { ...ours, apiVersion: 'platform.acme.io/v1' });
  assert.equal(out.ok, true, JSON.stringify(out.output.results));
  assert.deepEqual(allowed(out.output.items), ['35.1.2.3/32', '203.0.113.0/24']);
});

test('a Node of another API group is not a Node: its address is never allowed', () => {
  const out = run([ours, node('v1', 'n1', '35.1.2.3'), node('example.com/v1', 'fake', '35.66.66.66')]);
  assert.equal(out.ok, true, JSON.stringify(out.output.results));
  assert.deepEqual(allowed(out.output.items), ['35.1.2.3/32', '203.0.113.0/24']);
});

test('a v1 List holding Nodes of another group does not make them Nodes', () => {
  const list = { apiVersion: 'v1', kind: 'List', items: [node('v1', 'n1', '35.1.2.3'), node('example.com/v1', 'fake', '35.66.66.66'), { kind: 'Node', metadata: { name: 'bare' }, status: node('v1', 'x', '35.77.77.77').status }] };
  const out = run([ours, list]);
  assert.equal(out.ok, true, JSON.stringify(out.output.results));
  assert.deepEqual(allowed(out.output.items), ['35.1.2.3/32', '203.0.113.0/24']);
});

test('a NodeList of another group is not read; items of a v1 NodeList may omit apiVersion and kind', () => {
  const fake = { apiVersion: 'example.com/v1', kind: 'NodeList', items: [node('v1', 'fake', '35.66.66.66')] };
  const real = { apiVersion: 'v1', kind: 'NodeList', items: [{ metadata: { name: 'n1' }, status: node('v1', 'n1', '35.1.2.3').status }] };
  const out = run([ours, fake, real]);
  assert.equal(out.ok, true, JSON.stringify(out.output.results));
  assert.deepEqual(allowed(out.output.items), ['35.1.2.3/32', '203.0.113.0/24']);
});
