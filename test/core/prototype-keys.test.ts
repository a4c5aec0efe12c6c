// Finding 1 (schema side): prototype keys anywhere in a SecurityPolicy are errors naming the field path,
// as unknown fields are; zod alone drops a record's or passthrough object's `__proto__` silently and
// accepts `constructor` as a record key. The objects come as the fixed readers give them: own keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSecurityPolicy, render } from '../../fn/core';
import { runKrm } from '../../fn/krm/main';

const wrap = (specJson: string, metadataJson = '{"name":"web"}') =>
  JSON.parse(`{"apiVersion":"security.example.org/v1alpha1","kind":"SecurityPolicy","metadata":${metadataJson},"spec":${specJson}}`);
const errorsOf = (o: unknown) => {
  const r = parseSecurityPolicy(o);
  return r.ok ? [] : r.findings.filter((f) => f.severity === 'error').map((f) => `${f.field}: ${f.message}`);
};

const cases: Array<[string, string, string, string?]> = [
  ['spec.__proto__ with allowBroadRanges', '{"__proto__":{"allowBroadRanges":true},"sources":[{"name":"office","cidrs":["0.0.0.0/0"]}]}', 'spec.__proto__'],
  ['spec.__proto__.sources', '{"__proto__":{"sources":[{"name":"x","cidrs":["1.2.3.0/24"]}]}}', 'spec.__proto__'],
  ['constructor in spec', '{"constructor":{"prototype":{}}}', 'spec.constructor'],
  ['__proto__ as a matchLabels key (zod drops it: a wider selector)', '{"nodes":[{"name":"n","selector":{"matchLabels":{"__proto__":"x","pool":"a"}}}]}', 'spec.nodes[0].selector.matchLabels.__proto__'],
  ['constructor as a matchLabels key (a record accepts it)', '{"nodes":[{"name":"n","selector":{"matchLabels":{"constructor":"x"}}}]}', 'spec.nodes[0].selector.matchLabels.constructor'],
  ['prototype in a source', '{"sources":[{"name":"a","cidrs":[],"prototype":{}}]}', 'spec.sources[0].prototype'],
  ['__proto__ in a matchExpression', '{"nodes":[{"name":"n","selector":{"matchExpressions":[{"key":"a","operator":"Exists","__proto__":{"values":["x"]}}]}}]}', 'spec.nodes[0].selector.matchExpressions[0].__proto__'],
];

test('under metadata (free-form labels and annotations) prototype keys are Kubernetes keys, never read through', () => {
  const policy = wrap('{"sources":[{"name":"office","cidrs":["203.0.113.0/24"]}]}', '{"name":"web","__proto__":{"namespace":"evil"},"labels":{"prototype":"x","__proto__":"y"}}');
  assert.deepEqual(errorsOf(policy), []);
  const out = render({ securityPolicy: policy, nodes: [] });
  assert.equal(out.objects[0]!.metadata.namespace, undefined);
  // An assigning copy that turned metadata.__proto__ into a prototype is refused there too.
  const copied = { ...policy, metadata: Object.setPrototypeOf({ name: 'web' }, { namespace: 'evil' }) };
  assert.ok(errorsOf(copied).some((e) => e.startsWith('metadata.__proto__: unknown field')));
});

for (const [name, spec, field, metadata] of cases) {
  test(`prototype key refused: ${name}`, () => {
    const errors = errorsOf(wrap(spec, metadata));
    assert.ok(errors.some((e) => e.startsWith(`${field}: unknown field`)), errors.join('\n') || 'no error');
  });
}

test('render refuses it before anything is generated, and KRM leaves the items unchanged', () => {
  const policy = wrap('{"__proto__":{"allowBroadRanges":true},"sources":[{"name":"office","cidrs":["0.0.0.0/0"]}]}');
  assert.deepEqual(render({ securityPolicy: policy, nodes: [] }).objects, []);
  const out = runKrm(`{"apiVersion":"config.kubernetes.io/v1","kind":"ResourceList","items":[{"apiVersion":"security.example.org/v1alpha1","kind":"SecurityPolicy","metadata":{"name":"web"},"spec":{"__proto__":{"allowBroadRanges":true},"sources":[{"name":"office","cidrs":["0.0.0.0/0"]}]}}]}`);
  assert.equal(out.ok, false);
  assert.ok(!JSON.stringify(out.output.items).includes('"action":"allow"'));
});

test('ordinary keys that merely look similar are not refused', () => {
  assert.deepEqual(errorsOf(wrap('{"nodes":[{"name":"n","selector":{"matchLabels":{"constructor-x":"a","my.io/prototype":"b"}}}]}')), []);
});

test('a __proto__ key already assigned by a copy (a foreign prototype, no own key) is refused too', () => {
  const spec: Record<string, unknown> = { sources: [{ name: 'office', cidrs: ['0.0.0.0/0'] }] };
  Object.setPrototypeOf(spec, { allowBroadRanges: true });
  const errors = errorsOf({ apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' }, spec });
  assert.ok(errors.some((e) => e.startsWith('spec.__proto__: unknown field')), errors.join('\n') || 'no error');
});
