// spec.nodes[].minNodes: when fewer Nodes than that match, the entry keeps its previous addresses (by
// the same rules as whenNoNodes: Keep) beside the current ones, with a warning, rather than shrinking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render, type Finding } from '../../fn/core';

const sp = (entry: Record<string, unknown>) => ({
  apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' },
  spec: { nodes: [{ name: 'egress', ...entry }] },
});
const node = (name: string, ip: string) => ({ metadata: { name }, status: { addresses: [{ type: 'ExternalIP', address: ip }], conditions: [{ type: 'Ready', status: 'True' }] } });
const ranges = (out: ReturnType<typeof render>) => ((out.objects[0]?.spec as { rule: Array<{ action: string; match: { config: { srcIpRanges: string[] } } }> } | undefined)?.rule ?? [])
  .filter((r) => r.action === 'allow').flatMap((r) => r.match.config.srcIpRanges);
const messages = (fs: Finding[], severity: string) => fs.filter((f) => f.severity === severity).map((f) => `${f.field}: ${f.message}`);

test('minNodes must be a whole number, 0 or more', () => {
  for (const minNodes of [-1, 1.5, '3']) {
    const out = render({ securityPolicy: sp({ minNodes }), nodes: [] });
    assert.match(messages(out.findings, 'error').join('\n'), /spec\.nodes\[0\]\.minNodes/, String(minNodes));
  }
});

test('fewer matching Nodes than minNodes: the previous addresses stay, beside the current ones', () => {
  const three = [node('a', '35.0.0.1'), node('b', '35.0.0.5'), node('c', '35.0.0.9')];
  const first = render({ securityPolicy: sp({ minNodes: 3 }), nodes: three });
  assert.deepEqual(ranges(first), ['35.0.0.1/32', '35.0.0.5/32', '35.0.0.9/32']);
  const shrunk = render({ securityPolicy: sp({ minNodes: 3 }), nodes: [node('a', '35.0.0.1'), node('d', '35.0.0.13')], previousPolicy: first.objects[0] });
  assert.deepEqual(ranges(shrunk), ['35.0.0.1/32', '35.0.0.5/32', '35.0.0.9/32', '35.0.0.13/32']);
  assert.match(messages(shrunk.findings, 'warning').join('\n'), /spec\.nodes\[0\]: nodes entry egress matched 2 Ready Node\(s\), fewer than minNodes 3; keeping the 3 range\(s\) of the existing policy/);
  // Enough Nodes again: exactly the current ones.
  const back = render({ securityPolicy: sp({ minNodes: 3 }), nodes: [...three.slice(1), node('d', '35.0.0.13')], previousPolicy: shrunk.objects[0] });
  assert.deepEqual(ranges(back), ['35.0.0.5/32', '35.0.0.9/32', '35.0.0.13/32']);
  assert.deepEqual(messages(back.findings, 'warning'), []);
});

test('minNodes 0 (the default) changes nothing: whenNoNodes decides with no matching Node', () => {
  const out = render({ securityPolicy: sp({ minNodes: 0 }), nodes: [] });
  assert.match(messages(out.findings, 'warning').join('\n'), /whenNoNodes: Remove/);
});
