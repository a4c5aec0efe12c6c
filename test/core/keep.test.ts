// whenNoNodes: Keep reads an entry's ranges back from the last generated policy. Names are cut to fit
// rule descriptions (64 characters), so two entries sharing their first 60 characters describe their
// rules alike: the entry's own priority band must tell them apart, or Keep takes another entry's ranges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../fn/core';

const prefix = 'a'.repeat(60);
const policy = {
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'web' },
  spec: {
    sources: [{ name: `${prefix}xx1`, cidrs: ['10.0.0.0/8'] }],
    nodes: [{ name: `${prefix}xx2`, whenNoNodes: 'Keep' }],
  },
};

test('Keep takes only its own rules back when another entry describes its rules alike', () => {
  const first = render({ securityPolicy: policy, nodes: [] });
  const rules = (first.objects[0]!.spec as { rule: Array<{ description: string }> }).rule;
  assert.equal(rules.length, 2, 'one source rule and the default rule');
  assert.equal(rules[0]!.description, `${prefix} 1/1`);
  const second = render({ securityPolicy: policy, nodes: [], previousPolicy: first.objects[0] });
  assert.equal(JSON.stringify(second.objects), JSON.stringify(first.objects), 'running on its own output changes nothing');
  assert.equal(second.status!.nodeAddressCount, 0);
});
