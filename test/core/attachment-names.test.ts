// Finding 13 (schema side): attachment names are RFC 1123 subdomains and namespaces RFC 1123 labels, so
// `{name: a.b, namespace: c}` and `{name: b, namespace: c.a}` can no longer name one thing two ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSecurityPolicy } from '../../fn/core';

const sp = (attach: Record<string, unknown>) => ({ apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' }, spec: { attach } });
const fields = (attach: Record<string, unknown>) => {
  const r = parseSecurityPolicy(sp(attach));
  return r.ok ? [] : [...new Set(r.findings.map((f) => f.field))];
};
const target = { group: '', kind: 'Service', name: 'web' };

test('a namespace with a dot, or any name that is not RFC 1123, is an error naming the field', () => {
  assert.deepEqual(fields({ backendConfigs: [{ name: 'a.b', namespace: 'c' }, { name: 'b', namespace: 'c.a' }] }), ['spec.attach.backendConfigs[1].namespace']);
  for (const bad of ['Web', 'web_1', '-web', 'web-', 'a..b', '.a', 'x'.repeat(254), '']) {
    assert.deepEqual(fields({ backendConfigs: [{ name: bad }] }), ['spec.attach.backendConfigs[0].name'], bad);
    assert.deepEqual(fields({ gcpBackendPolicies: [{ name: bad, targetRef: target }] }), ['spec.attach.gcpBackendPolicies[0].name'], bad);
    assert.deepEqual(fields({ gcpBackendPolicies: [{ name: 'ok', targetRef: { ...target, name: bad } }] }), ['spec.attach.gcpBackendPolicies[0].targetRef.name'], bad);
  }
  for (const bad of ['a.b', 'A', 'x'.repeat(64)]) {
    assert.deepEqual(fields({ gcpBackendPolicies: [{ name: 'ok', namespace: bad, targetRef: target }] }), ['spec.attach.gcpBackendPolicies[0].namespace'], bad);
    assert.deepEqual(fields({ gcpBackendPolicies: [{ name: 'ok', targetRef: { ...target, namespace: bad } }] }), ['spec.attach.gcpBackendPolicies[0].targetRef.namespace'], bad);
  }
});

test('valid RFC 1123 names pass, dots included in names', () => {
  assert.deepEqual(fields({ backendConfigs: [{ name: 'web.v2', namespace: 'web' }, { name: 'x'.repeat(253) }] }), []);
});
