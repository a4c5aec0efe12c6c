// Results are part of the output (KRM results, Crossplane results): what the core says about the Nodes
// must not depend on the order the cluster listed them in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../fn/core';

const node = (name: string, address: string) => ({
  metadata: { name },
  status: { addresses: [{ type: 'ExternalIP', address }], conditions: [{ type: 'Ready', status: 'True' }] },
});

test('warnings about Nodes come out in the same order whatever the order of the Nodes', () => {
  const securityPolicy = { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' }, spec: { nodes: [{ name: 'all' }] } };
  const nodes = [node('b', 'not-an-ip'), node('a', '300.1.1.1'), node('c', '35.1.2.3')];
  const forward = render({ securityPolicy, nodes });
  const backward = render({ securityPolicy, nodes: [...nodes].reverse() });
  assert.equal(forward.findings.length, 2);
  assert.equal(JSON.stringify(backward), JSON.stringify(forward));
});
