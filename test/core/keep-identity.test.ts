// whenNoNodes: Keep carries over only what this function generated for that same entry: the previous
// policy must carry this SecurityPolicy's generated-from mark, and a rule is the entry's when its
// description is the entry's `<name> i/n`, its action `allow`, its preview the spec's and its match a
// plain SRC_IPS_V1 range list. Kept ranges are validated like sources. Found by identity, not by band.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BAND_COUNT, GENERATED_FROM_ANNOTATION, fnv1a, render, type Finding } from '../../fn/core';

const MARK = 'SecurityPolicy/team-web/web';
const sp = (spec: Record<string, unknown>) => ({
  apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web', namespace: 'team-web' }, spec,
});
const keepSpec = (extra: Record<string, unknown> = {}) => sp({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes: [{ name: 'egress', whenNoNodes: 'Keep' }], ...extra });

type Rule = { action: string; description: string; preview: boolean; priority: number; match: Record<string, unknown> };
const rule = (description: string, ranges: string[], o: Partial<Rule> = {}): Rule => ({
  action: 'allow', description, preview: false, priority: 1000, match: { config: { srcIpRanges: ranges }, versionedExpr: 'SRC_IPS_V1' }, ...o,
});
const previous = (rules: Rule[], mark: string | null = MARK) => ({
  apiVersion: 'compute.cnrm.cloud.google.com/v1beta1', kind: 'ComputeSecurityPolicy',
  metadata: { name: 'web', namespace: 'team-web', ...(mark ? { annotations: { [GENERATED_FROM_ANNOTATION]: mark } } : {}) },
  spec: { resourceID: 'web', rule: rules },
});

function allowed(out: ReturnType<typeof render>): string[] {
  const rules = (out.objects[0]?.spec as { rule: Rule[] } | undefined)?.rule ?? [];
  return rules.filter((r) => r.action === 'allow' && !r.preview).flatMap((r) => (r.match.config as { srcIpRanges: string[] }).srcIpRanges);
}
const warnings = (out: { findings: Finding[] }) => out.findings.filter((f) => f.severity === 'warning').map((f) => f.message);
const errors = (out: { findings: Finding[] }) => out.findings.filter((f) => f.severity === 'error');

test('a previewed deny rule of the entry never comes back as an enforced allow', () => {
  const out = render({ securityPolicy: keepSpec(), nodes: [], previousPolicy: previous([rule('egress 1/1', ['0.0.0.0/0', '::/0'], { action: 'deny(403)', preview: true })]) });
  assert.deepEqual(errors(out), []);
  assert.deepEqual(allowed(out), ['203.0.113.0/24']);
  assert.match(warnings(out).join('\n'), /keeping the 0 range\(s\).*egress 1\/1.*action deny\(403\)/s);
});

test('an allow rule of the entry in preview is not enforced when the spec is not in preview', () => {
  const out = render({ securityPolicy: keepSpec(), nodes: [], previousPolicy: previous([rule('egress 1/1', ['35.1.2.3/32'], { preview: true })]) });
  assert.deepEqual(allowed(out), ['203.0.113.0/24']);
});

test('a rule with an expression or another match is not the entry\'s', () => {
  const withExpr = rule('egress 1/1', ['35.1.2.3/32'], { match: { config: { srcIpRanges: ['35.1.2.3/32'] }, versionedExpr: 'SRC_IPS_V1', expr: { expression: 'true' } } });
  const otherExpr = rule('egress 1/1', ['35.1.2.4/32'], { match: { config: { srcIpRanges: ['35.1.2.4/32'] }, versionedExpr: 'FUTURE' } });
  const out = render({ securityPolicy: keepSpec(), nodes: [], previousPolicy: previous([withExpr, otherExpr]) });
  assert.deepEqual(allowed(out), ['203.0.113.0/24']);
});

test('a policy without this SecurityPolicy\'s generated-from mark gives nothing', () => {
  for (const mark of [null, 'SecurityPolicy/other/web', 'SecurityPolicy/web']) {
    const out = render({ securityPolicy: keepSpec(), nodes: [], previousPolicy: previous([rule('egress 1/1', ['35.1.2.3/32'])], mark) });
    assert.deepEqual(allowed(out), ['203.0.113.0/24'], String(mark));
    assert.match(warnings(out).join('\n'), /generated-from/, String(mark));
  }
});

test('the entry\'s own allow rules are kept, and the warning says which ranges', () => {
  const out = render({ securityPolicy: keepSpec(), nodes: [], previousPolicy: previous([rule('egress 1/1', ['35.1.2.3/32', '35.1.2.9/32']), rule('office 1/1', ['198.51.100.0/24'])]) });
  assert.deepEqual(errors(out), []);
  assert.deepEqual(allowed(out), ['35.1.2.3/32', '35.1.2.9/32', '203.0.113.0/24']);
  assert.match(warnings(out).join('\n'), /keeping the 2 range\(s\) of the existing policy \(whenNoNodes: Keep\): 35\.1\.2\.3\/32, 35\.1\.2\.9\/32/);
});

test('the warning lists at most 10 ranges and counts the rest', () => {
  const ranges = Array.from({ length: 25 }, (_, i) => `35.1.${i}.1/32`);
  const rules = [0, 1, 2].map((i) => rule(`egress ${i + 1}/3`, ranges.slice(i * 10, i * 10 + 10)));
  const out = render({ securityPolicy: keepSpec(), nodes: [], previousPolicy: previous(rules) });
  assert.equal(allowed(out).length, 26);
  const w = warnings(out).find((m) => m.includes('keeping the 25 range(s)'))!;
  assert.ok(w.endsWith('and 15 more'), w);
});

test('kept ranges are validated like sources: a broad range is an error, not an allow', () => {
  const out = render({ securityPolicy: keepSpec(), nodes: [], previousPolicy: previous([rule('egress 1/1', ['0.0.0.0/0'])]) });
  assert.deepEqual(out.objects, []);
  assert.equal(errors(out)[0]!.field, 'spec.nodes[0]');
  assert.match(errors(out)[0]!.message, /0\.0\.0\.0\/0.*broader than \/8/);
  const bad = render({ securityPolicy: keepSpec(), nodes: [], previousPolicy: previous([rule('egress 1/1', ['10.0.0.300/32'])]) });
  assert.deepEqual(bad.objects, []);
  assert.match(errors(bad)[0]!.message, /10\.0\.0\.300/);
  const broadOk = render({ securityPolicy: keepSpec({ allowBroadRanges: true }), nodes: [], previousPolicy: previous([rule('egress 1/1', ['0.0.0.0/0'])]) });
  assert.deepEqual(errors(broadOk), []);
});

/** A source name, sorting before `egress`, whose priority band collides with egress's. */
function bandThief(): string {
  const target = fnv1a('egress') % BAND_COUNT;
  for (let i = 0; ; i++) {
    const name = `a${i.toString(36)}`;
    if (fnv1a(name) % BAND_COUNT === target) return name;
  }
}

test('a crafted source name in the same priority band does not move the kept entry', () => {
  const thief = bandThief();
  const spec = keepSpec({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] });
  const first = render({ securityPolicy: spec, nodes: [{ metadata: { name: 'n1' }, status: { addresses: [{ type: 'ExternalIP', address: '35.1.2.3' }], conditions: [{ type: 'Ready', status: 'True' }] } }] });
  const withThief = keepSpec({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }, { name: thief, cidrs: ['198.51.100.0/24'] }] });
  const out = render({ securityPolicy: withThief, nodes: [], previousPolicy: first.objects[0] });
  assert.deepEqual(errors(out), []);
  assert.deepEqual(allowed(out).sort(), ['198.51.100.0/24', '203.0.113.0/24', '35.1.2.3/32'].sort());
});

test('property: Keep never yields a range that was not in a qualifying allow rule of that entry', () => {
  const names = ['egress', 'office', 'other', 'egres', 'egress-2'];
  const ruleArb = fc.record({
    name: fc.constantFrom(...names),
    index: fc.integer({ min: 1, max: 3 }),
    total: fc.integer({ min: 1, max: 3 }),
    action: fc.constantFrom('allow', 'deny(403)', 'allow'),
    preview: fc.boolean(),
    ranges: fc.array(fc.integer({ min: 0, max: 255 }).map((i) => `35.9.${i}.7/32`), { minLength: 1, maxLength: 4 }),
    marked: fc.boolean(),
  });
  fc.assert(fc.property(fc.array(ruleArb, { maxLength: 8 }), fc.boolean(), (rules, specPreview) => {
    const marked = rules.every((r) => r.marked);
    const prev = previous(rules.map((r) => rule(`${r.name} ${r.index}/${r.total}`, r.ranges, { action: r.action, preview: r.preview })), marked ? MARK : null);
    const out = render({ securityPolicy: keepSpec({ preview: specPreview }), nodes: [], previousPolicy: prev });
    const qualifying = new Set(marked ? rules.filter((r) => r.name === 'egress' && r.action === 'allow' && r.preview === specPreview).flatMap((r) => r.ranges) : []);
    const got = ((out.objects[0]?.spec as { rule: Rule[] } | undefined)?.rule ?? [])
      .filter((r) => r.description.startsWith('egress '))
      .flatMap((r) => (r.match.config as { srcIpRanges: string[] }).srcIpRanges);
    for (const g of got) assert.ok(qualifying.has(g), `${g} was kept but is in no qualifying rule`);
  }), { seed: 8, numRuns: 300 });
});

test('property: a source name crafted into the entry\'s band never steals or drops its kept ranges', () => {
  const thief = bandThief();
  fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 250 }), { minLength: 1, maxLength: 25 }), fc.boolean(), (octets, withThief) => {
    const nodes = octets.map((o) => ({ metadata: { name: `n${o}` }, status: { addresses: [{ type: 'ExternalIP', address: `35.2.${o}.1` }], conditions: [{ type: 'Ready', status: 'True' }] } }));
    const first = render({ securityPolicy: keepSpec(), nodes });
    const sources = [{ name: 'office', cidrs: ['203.0.113.0/24'] }, ...(withThief ? [{ name: thief, cidrs: ['198.51.100.0/24'] }] : [])];
    const out = render({ securityPolicy: keepSpec({ sources }), nodes: [], previousPolicy: first.objects[0] });
    assert.equal(out.status?.nodeAddressCount, octets.length);
  }), { seed: 4, numRuns: 50 });
});
