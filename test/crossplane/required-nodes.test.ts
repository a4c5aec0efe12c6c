// Under Crossplane, Nodes come as required resources. Only core v1 Nodes count (the core decides, as for
// KRM and the CLI); an answered requirement with zero Nodes means zero Nodes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suppliedNodes } from '../../fn/crossplane/requirements';
import { POLICY_RESOURCE, runFunction } from '../../fn/crossplane/run-function';
import type { FnRequest } from '../../fn/crossplane/wire';

const node = (apiVersion: string, name: string) => ({ resource: { apiVersion, kind: 'Node', metadata: { name } }, connection_details: {}, ready: 0 });
const request = (resources: FnRequest['required_resources']): FnRequest => ({ meta: { tag: 't', capabilities: [] }, extra_resources: {}, required_resources: resources });

test('a required resource that is not a core v1 Node is not a Node', () => {
  const nodes = suppliedNodes(request({ 'nodes-a': [node('v1', 'real'), node('example.com/v1', 'fake')] }), ['nodes-a']);
  assert.deepEqual(nodes?.map((n) => n.metadata?.name), ['real']);
});

test('an answered requirement with no Node is zero Nodes; an unanswered one is not yet known', () => {
  assert.deepEqual(suppliedNodes(request({ 'nodes-a': [] }), ['nodes-a']), []);
  assert.equal(suppliedNodes(request({}), ['nodes-a']), undefined);
});

test('the composed policy carries the generated-from mark, and Keep reads only an observed policy that has it', () => {
  const xr = {
    apiVersion: 'platform.acme.io/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web', namespace: 'team-web' },
    spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes: [{ name: 'egress', whenNoNodes: 'Keep' }] },
  };
  const call = (observedPolicy?: unknown, nodes: unknown[] = []) => runFunction({
    meta: { tag: 't', capabilities: [] }, extra_resources: {},
    required_resources: { 'nodes-egress': nodes.map((resource) => ({ resource, connection_details: {}, ready: 0 })) },
    observed: { composite: { resource: xr, connection_details: {}, ready: 0 }, resources: observedPolicy ? { [POLICY_RESOURCE]: { resource: observedPolicy, connection_details: {}, ready: 0 } } : {} },
  } as never, { ttlMs: 60_000 }).response;
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'ExternalIP', address: '35.1.2.3' }], conditions: [{ type: 'Ready', status: 'True' }] } };
  const first = call(undefined, [node]).desired.resources[POLICY_RESOURCE]!.resource as { metadata: { annotations: Record<string, string> } };
  assert.equal(first.metadata.annotations['function-security-policy/generated-from'], 'SecurityPolicy/team-web/web');
  const ranges = (r: ReturnType<typeof call>) => JSON.stringify(r.desired.resources[POLICY_RESOURCE]?.resource);
  assert.match(ranges(call(first)), /35\.1\.2\.3\/32/);
  // A drifted observed policy without the mark (or with someone else's) gives nothing back.
  const unmarked = { ...first, metadata: { ...first.metadata, annotations: {} } };
  assert.doesNotMatch(ranges(call(unmarked)), /35\.1\.2\.3/);
});
