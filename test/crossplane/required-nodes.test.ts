// Under Crossplane, Nodes come as required resources. Only core v1 Nodes count (the core decides, as for
// KRM and the CLI); an answered requirement with zero Nodes means zero Nodes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suppliedNodes } from '../../fn/crossplane/requirements';
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
