// Properties of render() over random specs and node sets (fast-check, fixed seeds, nothing printed).
// Addresses live in small spaces (10.0.0.0/22 and 2001:db8::/118, 1024 addresses each) so the allowed
// set can be expanded into bitmaps and compared exactly with an independent computation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { render, type RenderInput } from '../../fn/core';
import { cloudArmorLimitErrors, validateAgainstKcc } from '../helpers/crd';
import { makeNode, prng, type GkeNode } from '../helpers/nodes';

const RUNS = 300;
const params = (seed: number) => ({ seed, numRuns: RUNS });

// ---------------------------------------------------------------- address spaces and the oracle

const BITS = 10;
const SIZE = 1 << BITS;
const V4_BASE = 0x0a000000; // 10.0.0.0/22
const v4Text = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const v6Text = (offset: number) => `2001:db8::${offset.toString(16)}`; // 2001:db8::/118

/** Bitmaps of the two small spaces: index 0..1023 IPv4, 1024..2047 IPv6. */
type AddrSet = Uint8Array;
const emptySet = (): AddrSet => new Uint8Array(2 * SIZE);

/** Adds a range written in one of the two spaces; fails on anything outside them. */
function addRange(set: AddrSet, text: string): void {
  const [addr, p] = text.split('/') as [string, string | undefined];
  if (addr.includes(':')) {
    assert.ok(addr.startsWith('2001:db8::'), `unexpected range ${text}`);
    const tail = addr.slice('2001:db8::'.length);
    const offset = tail === '' ? 0 : parseInt(tail, 16);
    const prefix = p === undefined ? 128 : Number(p);
    assert.ok(prefix >= 128 - BITS && offset < SIZE, `unexpected range ${text}`);
    const size = 1 << (128 - prefix);
    const start = offset & ~(size - 1);
    set.fill(1, SIZE + start, SIZE + start + size);
  } else {
    const n = addr.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    const prefix = p === undefined ? 32 : Number(p);
    assert.ok(prefix >= 32 - BITS && n - V4_BASE >= 0 && n - V4_BASE < SIZE, `unexpected range ${text}`);
    const size = 1 << (32 - prefix);
    const start = (n - V4_BASE) & ~(size - 1);
    set.fill(1, start, start + size);
  }
}

// ---------------------------------------------------------------- generators

const SOURCE_NAMES = ['office', 'partner-a', 'partner-b', 'vpn', 'sapporo-office', 'x'];
const NODE_ENTRY_NAMES = ['gke-egress', 'gke-internal', 'spot'];
const POOLS = ['pool-a', 'pool-b', 'pool-c'];

const cidrText = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: SIZE - 1 }), fc.integer({ min: 0, max: BITS }), fc.boolean()).map(([v6, offset, rel, hostBits]) => {
  const size = 1 << (BITS - rel);
  const start = hostBits ? offset : offset & ~(size - 1);
  if (v6) return `${v6Text(start)}/${128 - BITS + rel}`;
  return rel === BITS && !hostBits && offset % 3 === 0 ? v4Text(V4_BASE + start) : `${v4Text(V4_BASE + start)}/${32 - BITS + rel}`;
});

const sourcesArb = fc.uniqueArray(fc.constantFrom(...SOURCE_NAMES), { maxLength: 4 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.array(cidrText, { maxLength: 14 }).map((cidrs) => ({ name, cidrs })))),
);

interface NodeSpec { pool: string; ready: boolean; ext?: number; int: number; int6?: number }
const nodeSpecArb: fc.Arbitrary<NodeSpec> = fc.record({
  pool: fc.constantFrom(...POOLS),
  ready: fc.boolean(),
  ext: fc.option(fc.integer({ min: 0, max: SIZE - 1 }), { nil: undefined }),
  int: fc.integer({ min: 0, max: SIZE - 1 }),
  int6: fc.option(fc.integer({ min: 0, max: SIZE - 1 }), { nil: undefined }),
});

function buildNodes(specs: NodeSpec[]): GkeNode[] {
  return specs.map((s, i) => makeNode({
    name: `gke-c1-${s.pool}-${i}`,
    pool: s.pool,
    ready: s.ready,
    internalIP: v4Text(V4_BASE + s.int),
    externalIP: s.ext === undefined ? undefined : v4Text(V4_BASE + s.ext),
    internalIPv6: s.int6 === undefined ? undefined : v6Text(s.int6),
    imageCount: 0,
    seed: i,
  }));
}

type Sel = { kind: 'all' } | { kind: 'pool'; pool: string } | { kind: 'in'; pools: string[] } | { kind: 'notin'; pools: string[] };
const selArb: fc.Arbitrary<Sel> = fc.oneof(
  fc.constant({ kind: 'all' } as Sel),
  fc.constantFrom(...POOLS).map((pool) => ({ kind: 'pool', pool }) as Sel),
  fc.subarray(POOLS, { minLength: 1 }).map((pools) => ({ kind: 'in', pools }) as Sel),
  fc.subarray(POOLS, { minLength: 1 }).map((pools) => ({ kind: 'notin', pools }) as Sel),
);
const selectorOf = (s: Sel) =>
  s.kind === 'all' ? undefined
    : s.kind === 'pool' ? { matchLabels: { 'cloud.google.com/gke-nodepool': s.pool } }
      : { matchExpressions: [{ key: 'cloud.google.com/gke-nodepool', operator: s.kind === 'in' ? 'In' : 'NotIn', values: s.pools }] };
/** Independent selector semantics for the generated selectors. */
const selects = (s: Sel, pool: string) =>
  s.kind === 'all' || (s.kind === 'pool' && s.pool === pool) || (s.kind === 'in' && s.pools.includes(pool)) || (s.kind === 'notin' && !s.pools.includes(pool));

interface EntrySpec { name: string; sel: Sel; types: Array<'ExternalIP' | 'InternalIP'>; includeNotReady: boolean }
const entriesArb = fc.uniqueArray(fc.constantFrom(...NODE_ENTRY_NAMES), { maxLength: 2 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.record({
    name: fc.constant(name),
    sel: selArb,
    types: fc.constantFrom<Array<'ExternalIP' | 'InternalIP'>>(['ExternalIP'], ['InternalIP'], ['ExternalIP', 'InternalIP']),
    includeNotReady: fc.boolean(),
  }))),
);

interface Scenario { sources: Array<{ name: string; cidrs: string[] }>; entries: EntrySpec[]; nodes: NodeSpec[]; preview: boolean; defaultAction: string }
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  sources: sourcesArb,
  entries: entriesArb,
  nodes: fc.array(nodeSpecArb, { maxLength: 6 }),
  preview: fc.boolean(),
  defaultAction: fc.constantFrom('deny(403)', 'deny(404)', 'allow'),
});

function specOf(s: Scenario) {
  return {
    apiVersion: 'security.example.org/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: { name: 'prop', namespace: 'team' },
    spec: {
      defaultAction: s.defaultAction,
      preview: s.preview,
      limits: { maxRules: 1000 },
      sources: s.sources,
      nodes: s.entries.map((e) => ({
        name: e.name,
        addressTypes: e.types,
        includeNotReady: e.includeNotReady,
        ...(e.sel.kind === 'all' ? {} : { selector: selectorOf(e.sel) }),
      })),
    },
  };
}

const inputOf = (s: Scenario): RenderInput => ({ securityPolicy: specOf(s), nodes: buildNodes(s.nodes) });

interface Rule { action: string; description: string; match: { config: { srcIpRanges: string[] } }; preview: boolean; priority: number }
function rulesOf(input: RenderInput): Rule[] {
  const out = render(input);
  assert.deepEqual(out.findings.filter((f) => f.severity === 'error'), [], 'generated scenarios are valid');
  return out.objects[0]!.spec!.rule as Rule[];
}
const entryName = (r: Rule) => r.description.replace(/ \d+\/\d+$/, '');

/** Expected addresses per entry, computed without the core. */
function expectedSets(s: Scenario): Map<string, AddrSet> {
  const m = new Map<string, AddrSet>();
  for (const src of s.sources) {
    const set = emptySet();
    for (const c of src.cidrs) addRange(set, c);
    m.set(src.name, set);
  }
  for (const e of s.entries) {
    const set = emptySet();
    for (const n of s.nodes) {
      if (!selects(e.sel, n.pool) || (!n.ready && !e.includeNotReady)) continue;
      if (e.types.includes('ExternalIP') && n.ext !== undefined) set[n.ext] = 1;
      if (e.types.includes('InternalIP')) {
        set[n.int] = 1;
        if (n.int6 !== undefined) set[SIZE + n.int6] = 1;
      }
    }
    m.set(e.name, set);
  }
  return m;
}

function shuffle<T>(list: readonly T[], seed: number): T[] {
  const rand = prng(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---------------------------------------------------------------- properties

test(`property (${RUNS} cases): ≤10 ranges per rule, unique priorities in range, exactly one default rule, valid KCC`, () => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const out = render(inputOf(s));
      assert.equal(out.objects.length, 1);
      const policy = out.objects[0]!;
      assert.deepEqual(validateAgainstKcc(policy), []);
      assert.deepEqual(cloudArmorLimitErrors(policy), []);
      const rules = policy.spec!.rule as Rule[];
      const defaults = rules.filter((r) => r.priority === 2147483647);
      assert.equal(defaults.length, 1);
      assert.deepEqual(defaults[0]!.match.config.srcIpRanges, ['*']);
      assert.equal(defaults[0]!.action, s.defaultAction);
      assert.equal(defaults[0]!.preview, s.preview && s.defaultAction !== 'allow');
      const allows = rules.filter((r) => r.priority !== 2147483647);
      assert.equal(new Set(rules.map((r) => r.priority)).size, rules.length, 'unique priorities');
      for (const r of allows) {
        assert.ok(Number.isInteger(r.priority) && r.priority >= 0 && r.priority <= 2147483646);
        assert.ok(r.match.config.srcIpRanges.length >= 1 && r.match.config.srcIpRanges.length <= 10);
        assert.ok(r.description.length <= 64);
        assert.equal(r.action, 'allow');
        assert.equal(r.preview, s.preview);
      }
      assert.equal(out.status!.ruleCount, rules.length);
      assert.equal(out.status!.rangeCount, allows.reduce((n, r) => n + r.match.config.srcIpRanges.length, 0));
    }),
    params(1),
  );
});

test(`property (${RUNS} cases): each entry allows exactly its sources' or selected Nodes' addresses, and the policy their union`, () => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const rules = rulesOf(inputOf(s)).filter((r) => r.priority !== 2147483647);
      const expected = expectedSets(s);
      const actual = new Map<string, AddrSet>();
      const total = emptySet();
      for (const r of rules) {
        const set = actual.get(entryName(r)) ?? emptySet();
        for (const range of r.match.config.srcIpRanges) {
          addRange(set, range);
          addRange(total, range);
        }
        actual.set(entryName(r), set);
      }
      const union = emptySet();
      for (const [name, set] of expected) {
        assert.deepEqual(actual.get(name) ?? emptySet(), set, `entry ${name}`);
        set.forEach((b, i) => { if (b) union[i] = 1; });
      }
      for (const name of actual.keys()) assert.ok(expected.has(name), `rule for unknown entry ${name}`);
      assert.deepEqual(total, union);
      // ranges within a rule are sorted IPv4 first, numerically, and rules of an entry are consecutive chunks
      for (const name of actual.keys()) {
        const own = rules.filter((r) => entryName(r) === name);
        own.forEach((r, i) => {
          assert.equal(r.description, `${name} ${i + 1}/${own.length}`);
          assert.equal(r.priority, own[0]!.priority + i);
          if (i < own.length - 1) assert.equal(r.match.config.srcIpRanges.length, 10, 'only the last chunk is short');
        });
      }
    }),
    params(2),
  );
});

test(`property (${RUNS} cases): output is byte-identical under any order of sources, CIDRs and Nodes`, () => {
  fc.assert(
    fc.property(scenarioArb, fc.integer(), (s, seed) => {
      const base = JSON.stringify(render(inputOf(s)));
      const reordered: Scenario = {
        ...s,
        sources: shuffle(s.sources, seed).map((src, i) => ({ ...src, cidrs: shuffle(src.cidrs, seed + i + 1) })),
        entries: shuffle(s.entries, seed + 100),
      };
      const input = inputOf(reordered);
      // Nodes are shuffled as objects (names stay attached to their addresses)
      const nodes = shuffle(inputOf(s).nodes, seed + 200);
      const again = render({ ...input, nodes });
      // findings carry field paths (spec.sources[i]) that legitimately follow the input order
      const parsed = JSON.parse(base) as { objects: unknown; status: unknown };
      assert.equal(JSON.stringify(again.objects), JSON.stringify(parsed.objects));
      assert.equal(JSON.stringify(again.status), JSON.stringify(parsed.status));
      // same order, same input: the whole output, findings included, is byte-identical
      assert.equal(JSON.stringify(render(inputOf(s))), base);
    }),
    params(3),
  );
});

test(`property (${RUNS} cases): f(f(x)) = f(x): the output rendered back as sources, or as the previous policy, changes nothing`, () => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const input = inputOf(s);
      const first = render(input);
      const rules = first.objects[0]!.spec!.rule as Rule[];
      // 1. the previous policy is the function's own output
      assert.equal(JSON.stringify(render({ ...input, previousPolicy: first.objects[0] })), JSON.stringify(first));
      // 2. a spec whose sources are the output's entries with the output's ranges gives the same rules
      const byEntry = new Map<string, string[]>();
      for (const r of rules.filter((x) => x.priority !== 2147483647)) byEntry.set(entryName(r), [...(byEntry.get(entryName(r)) ?? []), ...r.match.config.srcIpRanges]);
      const rebuilt = { ...specOf(s), spec: { ...specOf(s).spec, nodes: [], sources: [...byEntry].map(([name, cidrs]) => ({ name, cidrs })) } };
      const second = render({ securityPolicy: rebuilt, nodes: [] });
      assert.deepEqual(second.findings.filter((f) => f.severity === 'error'), []);
      assert.equal(JSON.stringify(second.objects), JSON.stringify(first.objects));
    }),
    params(4),
  );
});

test(`property (${RUNS} cases): changing one source's CIDRs moves no rule of any other entry`, () => {
  fc.assert(
    fc.property(
      scenarioArb.filter((s) => s.sources.length > 0),
      fc.nat(),
      fc.array(cidrText, { maxLength: 30 }),
      fc.array(nodeSpecArb, { maxLength: 6 }),
      (s, pick, newCidrs, otherNodes) => {
        const i = pick % s.sources.length;
        const changed = s.sources[i]!.name;
        const before = rulesOf(inputOf(s));
        const after = rulesOf(inputOf({ ...s, sources: s.sources.map((src, j) => (j === i ? { ...src, cidrs: newCidrs } : src)) }));
        const others = (rules: Rule[]) => rules.filter((r) => entryName(r) !== changed);
        assert.deepEqual(others(after), others(before));
        // and a change of Node addresses moves no rule of any source
        const sourcesOnly = (rules: Rule[]) => rules.filter((r) => s.sources.some((src) => src.name === entryName(r)));
        assert.deepEqual(sourcesOnly(rulesOf(inputOf({ ...s, nodes: otherNodes }))), sourcesOnly(before));
      },
    ),
    params(5),
  );
});
