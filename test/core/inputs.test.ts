// The core decides, once for every adapter, which input objects are ours: SecurityPolicies of the
// project's API group, core v1 Nodes (alone or in a v1 List/NodeList) and NodeSnapshot markers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_GROUP, isCoreNode, isNodeSnapshot, isOurSecurityPolicy, readNodeInputs } from '../../fn/core';

test('SecurityPolicies of our API group only', () => {
  assert.equal(isOurSecurityPolicy({ apiVersion: `${API_GROUP}/v1alpha1`, kind: 'SecurityPolicy' }), true);
  assert.equal(isOurSecurityPolicy({ apiVersion: `${API_GROUP}/v2`, kind: 'SecurityPolicy' }), true);
  for (const apiVersion of ['gateway.envoyproxy.io/v1alpha1', 'v1', `x.${API_GROUP}/v1`, `${API_GROUP}x/v1`, undefined, 5]) {
    assert.equal(isOurSecurityPolicy({ apiVersion, kind: 'SecurityPolicy' }), false, String(apiVersion));
  }
  assert.equal(isOurSecurityPolicy({ apiVersion: `${API_GROUP}/v1alpha1`, kind: 'Node' }), false);
});

test('core v1 Nodes only; a v1 NodeList\'s items may omit apiVersion and kind', () => {
  assert.equal(isCoreNode({ apiVersion: 'v1', kind: 'Node' }), true);
  assert.equal(isCoreNode({ apiVersion: 'example.com/v1', kind: 'Node' }), false);
  assert.equal(isCoreNode({ kind: 'Node' }), false);
  const nodeList = { apiVersion: 'v1', kind: 'NodeList', items: [] };
  assert.equal(isCoreNode({ metadata: { name: 'n' } }, nodeList), true);
  assert.equal(isCoreNode({ kind: 'Node' }, nodeList), true);
  assert.equal(isCoreNode({ apiVersion: 'example.com/v1', kind: 'Node' }, nodeList), false);
  assert.equal(isCoreNode({ metadata: { name: 'n' } }, { apiVersion: 'v1', kind: 'List', items: [] }), false);
  assert.equal(isCoreNode({ metadata: { name: 'n' } }, { apiVersion: 'example.com/v1', kind: 'NodeList', items: [] }), false);
});

test('readNodeInputs: Nodes and snapshot markers, top level and in v1 lists', () => {
  const n = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  const marker = (nodeCount: unknown) => ({ apiVersion: `${API_GROUP}/v1alpha1`, kind: 'NodeSnapshot', metadata: { name: 'nodes' }, nodeCount });
  const { nodes, snapshot } = readNodeInputs([
    n('a'),
    { apiVersion: 'v1', kind: 'List', items: [n('b'), marker(2), { apiVersion: 'example.com/v1', kind: 'Node' }] },
    { apiVersion: 'v1', kind: 'NodeList', items: [{ metadata: { name: 'c' } }] },
    { apiVersion: 'example.com/v1', kind: 'NodeList', items: [n('d')] },
    marker(1),
    marker('x'),
  ]);
  assert.deepEqual(nodes.map((x) => (x as { metadata: { name: string } }).metadata.name), ['a', 'b', 'c']);
  assert.deepEqual(snapshot, { nodeObjects: 3, markers: 3, declaredNodes: 3, invalidMarkers: ['NodeSnapshot nodes: nodeCount "x" is not a non-negative integer'] });
  assert.equal(isNodeSnapshot(marker(0)), true);
  assert.equal(isNodeSnapshot({ ...marker(0), apiVersion: 'other.io/v1' }), false);
});
