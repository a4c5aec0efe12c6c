// Findings 17 and 18: many invalid values, or one huge one, give a short, bounded answer: errors capped
// (100, then a count of the rest) and values cut in messages and in results, in every adapter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_QUOTED, render } from '../../fn/core';
import { runKrm } from '../../fn/krm/main';
import { runFunction } from '../../fn/crossplane/run-function';

const sp = (spec: Record<string, unknown>) => ({ apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' }, spec });
const krm = (policy: unknown) => runKrm(JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [policy] }));

const MANY = 130_000;
const manyBad = sp({ sources: [{ name: 'office', cidrs: Array.from({ length: MANY }, (_, i) => `10.0.${i}.300`) }] });

test('finding 17: 130,000 invalid CIDRs: the first 100 errors and a count of the rest, no crash (core)', () => {
  const out = render({ securityPolicy: manyBad, nodes: [] });
  const errors = out.findings.filter((f) => f.severity === 'error');
  assert.equal(errors.length, 101);
  assert.equal(errors[0]!.field, 'spec.sources[0].cidrs[0]');
  assert.match(errors[100]!.message, /and 129900 more errors/);
});

test('finding 17: the same through KRM: results, not "internal error"', () => {
  const out = krm(manyBad);
  assert.equal(out.ok, false);
  const messages = (out.output.results ?? []).map((r) => r.message);
  assert.ok(!messages.some((m) => m.includes('internal error')), messages[0]);
  assert.ok(messages.length <= 102, String(messages.length));
  assert.ok(out.summary.length <= 102);
});

test('finding 17: 130,000 zod issues (invalid source names) are capped too', () => {
  const out = render({ securityPolicy: sp({ sources: Array.from({ length: MANY }, (_, i) => ({ name: `Bad${i}`, cidrs: [] })) }), nodes: [] });
  assert.equal(out.findings.length, 101);
  assert.match(out.findings[100]!.message, /and 129900 more errors/);
});

test('finding 17: 130,000 host-bit warnings are capped the same way', () => {
  const out = render({ securityPolicy: sp({ allowBroadRanges: true, sources: [{ name: 'office', cidrs: Array.from({ length: MANY }, (_, i) => `10.${i >> 8}.${i & 255}.1/24`) }] }), nodes: [] });
  const warnings = out.findings.filter((f) => f.severity === 'warning');
  assert.equal(warnings.length, 101);
  assert.match(warnings[100]!.message, /and \d+ more warnings/);
});

test('finding 18: one 20 MB invalid CIDR is cut in messages, field values and stderr', () => {
  const huge = `1${'0'.repeat(20 * 1024 * 1024)}`;
  const out = krm(sp({ sources: [{ name: 'office', cidrs: [huge] }] }));
  assert.equal(out.ok, false);
  const results = JSON.stringify(out.output.results);
  assert.ok(results.length < 2_000, `results are ${results.length} characters`);
  assert.ok(out.summary.join('\n').length < 1_000);
  assert.match(out.output.results![0]!.message, new RegExp(`\\(${huge.length} characters\\)`));
  const value = out.output.results![0]!.field?.currentValue as string;
  assert.ok(value.length <= MAX_QUOTED, String(value.length));
  // The item itself comes back whole: only messages are cut.
  assert.equal((out.output.items[0] as { spec: { sources: Array<{ cidrs: string[] }> } }).spec.sources[0]!.cidrs[0]!.length, huge.length);
});

test('finding 18: a huge unknown key or invalid name is cut as well; Crossplane results too', () => {
  const key = 'k'.repeat(1_000_000);
  const out = render({ securityPolicy: sp({ [key]: 1, sources: [{ name: 'N'.repeat(1_000_000), cidrs: [] }] }), nodes: [] });
  for (const f of out.findings) {
    assert.ok(f.message.length < 400, f.message.slice(0, 50));
    assert.ok((f.field ?? '').length < 400);
  }
  const fn = runFunction({
    meta: { tag: 't', capabilities: [] }, extra_resources: {}, required_resources: {},
    observed: { composite: { resource: sp({ sources: [{ name: 'office', cidrs: [`9${'9'.repeat(5_000_000)}`] }] }), connection_details: {}, ready: 0 }, resources: {} },
  } as never, { ttlMs: 60_000 }).response;
  assert.ok(JSON.stringify(fn.results).length < 2_000);
});
