// Hostile scenarios for the fuzzer: random ResourceLists (and the same objects as CLI files) with
// prototype keys, aliases, odd scalars, items that are not objects, other projects' SecurityPolicy
// kinds, Nodes of other API groups and, now and then, an alias bomb; each with an oracle written from
// the contract alone: whether the run must fail, and otherwise which addresses each policy allows.
import { cidrInterval, normalize, type Interval } from './address-sets';
import { prng } from './nodes';
import { RawScalar } from './yaml-styles';

const API = 'security.example.org/v1alpha1';

const VALID_CIDRS = ['203.0.113.0/24', '198.51.100.7', '192.0.2.128/25', '203.0.113.77/24', '2001:db8::/48', '2001:db8:1::1', '100.64.1.0/26'];
const BROAD_CIDRS = ['0.0.0.0/0', '::/0', '1.0.0.0/7', '2001::/16'];
const INVALID_CIDRS = ['010.0.0.1', '10.1', '300.1.1.1', 'not-a-cidr', '1.2.3.4/33', '1.2.3.4/', ''];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
const ODD_SCALARS = ['0x1F', '1e3', '1.0', 'yes', 'on', '~', '2024-01-01', '12345678901234567890', '.inf', '-.NaN', '0o17', '+1', 'null', "''"];

export interface PolicyOracle {
  /** Name of the ComputeSecurityPolicy it generates. */
  policyName: string;
  /** Exactly the addresses it must allow, normalized (see address-sets.ts). */
  allowed: string[];
  /** Why it must be refused, when it must. */
  invalid?: string;
}

/** 'null item': a `null` among the items (the CLI reads a null document as an empty one). */
export interface Reason { kind: 'not an object' | 'null item' | 'refused'; why: string }

export interface Scenario {
  /** The ResourceList as a value to write (may hold RawScalar, shared objects). */
  list: { apiVersion: string; kind: string; items: unknown[]; functionConfig?: unknown };
  policies: PolicyOracle[];
  /** 1 when the contract says the run fails, 0 when it succeeds. */
  expectExit: 0 | 1;
  /** Items holding an alias bomb: never expanded by the test either (compared by the run completing). */
  /** Why the run must fail. */
  reasons: Reason[];
  bombs: Set<number>;
  functionConfigBomb: boolean;
  why: string[];
}

/** Ten levels of ten references: 10^10 values once expanded. */
function bomb(): unknown {
  let level: unknown[] = Array(10).fill('lol');
  for (let i = 0; i < 10; i++) level = Array(10).fill(level);
  return { laughs: level };
}

export function scenario(seed: number): Scenario {
  const rand = prng(seed);
  const chance = (p: number) => rand() < p;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const why: string[] = [];
  const bombItems = new Set<unknown>();
  const items: unknown[] = [];

  // Core v1 Nodes, and look-alikes of other groups (never read).
  interface NodeModel { name: string; pool: string; ready: boolean; addresses: Array<{ type: string; address: string }> }
  const nodes: NodeModel[] = [];
  const nodeCount = chance(0.2) ? 0 : 1 + int(4);
  let sharedLabels: Record<string, unknown> | undefined;
  for (let i = 0; i < nodeCount; i++) {
    const addresses = [{ type: 'ExternalIP', address: `35.${int(256)}.${int(256)}.${1 + int(254)}` }, { type: 'InternalIP', address: `10.0.${i}.${1 + int(254)}` }];
    if (chance(0.3)) addresses.push({ type: 'InternalIP', address: `2600:1900:4000:${(i + 1).toString(16)}::${(1 + int(200)).toString(16)}` });
    const model: NodeModel = { name: `node-${i}`, pool: pick(['a', 'b']), ready: chance(0.8), addresses };
    nodes.push(model);
    let labels: Record<string, unknown> = { pool: model.pool, 'kubernetes.io/hostname': model.name };
    if (chance(0.2)) labels[pick(PROTO_KEYS)] = 'x'; // a label key like any other: selects nothing more
    if (sharedLabels && sharedLabels.pool === model.pool && chance(0.5)) labels = sharedLabels; // an alias across items
    sharedLabels ??= labels;
    items.push({
      apiVersion: 'v1', kind: 'Node', metadata: { name: model.name, labels },
      ...(chance(0.5) ? { spec: { podCIDR: `10.4.${i}.0/24`, providerID: `gce://p/z/${model.name}` } } : {}),
      status: {
        addresses: addresses.map((a) => ({ ...a })),
        conditions: [{ type: 'Ready', status: model.ready ? 'True' : 'False' }],
        ...(chance(0.5) ? { images: [{ names: [`gcr.io/x@sha256:${i}`], sizeBytes: 1 + i }] } : {}),
      },
    });
  }
  for (let i = int(2); i > 0; i--) {
    items.push({
      apiVersion: pick(['example.com/v1', 'nodes.example.org/v1beta1', 'v2']), kind: 'Node', metadata: { name: `fake-${i}`, labels: { pool: 'a' } },
      status: { addresses: [{ type: 'ExternalIP', address: `36.6.6.${i}` }, { type: 'InternalIP', address: `10.9.9.${i}` }], conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }

  // The explicit marker of a cluster with no Node at all (written by `security-policy nodes`).
  const zeroNodeSnapshot = nodeCount === 0 && chance(0.4);
  if (zeroNodeSnapshot) {
    items.push({ apiVersion: API, kind: 'NodeSnapshot', metadata: { name: 'nodes', annotations: { 'config.kubernetes.io/local-config': 'true' } }, nodeCount: 0 });
  }

  // Other projects' SecurityPolicy kinds: passed through, never read.
  for (let i = int(2); i > 0; i--) {
    items.push({
      apiVersion: pick(['gateway.envoyproxy.io/v1alpha1', 'networking.gke.io/v1', 'security.example.com/v1']), kind: 'SecurityPolicy',
      metadata: { name: `foreign-${i}`, namespace: 'team' },
      spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'web' }], cors: { allowOrigins: ['*'] }, sources: [{ name: 'all', cidrs: ['0.0.0.0/0'] }] },
    });
  }

  // ConfigMaps with odd scalars, prototype keys and, now and then, an alias bomb.
  let sharedData: Record<string, unknown> | undefined;
  for (let i = int(3); i > 0; i--) {
    let data: Record<string, unknown> = { plain: 'text', odd: new RawScalar(pick(ODD_SCALARS)) };
    if (chance(0.3)) data[pick(PROTO_KEYS)] = chance(0.5) ? 'x' : { allowBroadRanges: true };
    if (sharedData && chance(0.4)) data = sharedData;
    sharedData ??= data;
    const cm: Record<string, unknown> = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data };
    if (chance(0.05)) {
      cm.binaryData = bomb();
      bombItems.add(cm);
    }
    items.push(cm);
  }

  // The SecurityPolicies: 0 to 2 of ours.
  const policies: PolicyOracle[] = [];
  const policyCount = chance(0.1) ? 0 : chance(0.8) ? 1 : 2;
  let inFunctionConfig: unknown;
  for (let p = 0; p < policyCount; p++) {
    const name = `web-${p}`;
    const spec: Record<string, unknown> = {};
    let invalid: string | undefined;
    const allowBroad = chance(0.3);
    if (allowBroad || chance(0.2)) spec.allowBroadRanges = allowBroad;
    if (chance(0.05)) { spec.allowBroadRanges = new RawScalar(pick(['yes', 'on', '"true"', '1'])); invalid ??= 'allowBroadRanges is not a boolean'; }
    const intervals: Interval[] = [];
    const sources = Array.from({ length: int(3) }, (_, s) => {
      const cidrs = Array.from({ length: 1 + int(3) }, () => {
        const r = rand();
        const c = r < 0.75 ? pick(VALID_CIDRS) : r < 0.88 ? pick(BROAD_CIDRS) : pick(INVALID_CIDRS);
        const interval = cidrInterval(c);
        if (!interval) invalid ??= `invalid CIDR ${JSON.stringify(c)}`;
        else if (BROAD_CIDRS.includes(c) && spec.allowBroadRanges !== true) invalid ??= `broad ${c} without allowBroadRanges`;
        else intervals.push(interval);
        return c;
      });
      return { name: `src-${s}`, cidrs };
    });
    if (sources.length > 0) spec.sources = sources;
    const entries = Array.from({ length: int(3) }, (_, e) => {
      const entry: Record<string, unknown> = { name: `egress-${e}` };
      const pool = chance(0.5) ? pick(['a', 'b']) : undefined;
      if (pool) entry.selector = { matchLabels: { pool } };
      const types = pick([undefined, ['ExternalIP'], ['InternalIP'], ['ExternalIP', 'InternalIP']]);
      if (types) entry.addressTypes = types;
      const includeNotReady = chance(0.2);
      if (includeNotReady) entry.includeNotReady = true;
      for (const n of nodes) {
        if ((pool && n.pool !== pool) || (!n.ready && !includeNotReady)) continue;
        for (const a of n.addresses) if ((types ?? ['ExternalIP']).includes(a.type)) intervals.push(cidrInterval(a.address)!);
      }
      return entry;
    });
    if (entries.length > 0) spec.nodes = entries;
    if (chance(0.25)) {
      // A prototype key where the schema reads: it must be refused as an unknown field.
      const key = pick(PROTO_KEYS);
      const target = pick([spec, sources[0], entries[0]].filter((x): x is NonNullable<typeof x> => x !== undefined)) as Record<string, unknown>;
      Object.defineProperty(target, key, { value: { allowBroadRanges: true, sources: [{ name: 'evil', cidrs: ['0.0.0.0/0'] }] }, enumerable: true, writable: true, configurable: true });
      invalid ??= `prototype key ${key}`;
    }
    const metadata: Record<string, unknown> = { name, namespace: 'team' };
    if (chance(0.1)) metadata.labels = { [pick(PROTO_KEYS)]: 'x', app: 'web' };
    const sp: Record<string, unknown> = { apiVersion: API, kind: 'SecurityPolicy', metadata, spec };
    if (chance(0.04)) {
      metadata.annotations = { laughs: bomb() } as unknown as Record<string, string>;
      invalid ??= 'alias bomb in the policy';
      bombItems.add(sp);
    }
    policies.push({ policyName: name, allowed: normalize(intervals), invalid });
    if (p === 0 && policyCount === 1 && chance(0.3)) inFunctionConfig = sp;
    else items.push(sp);
  }

  // Items that are not objects.
  const nonObject = chance(0.08) ? { value: pick([5, 'text', null, [1, 2], true, new RawScalar('0x1F')]) } : undefined;
  if (nonObject) items.splice(int(items.length + 1), 0, nonObject.value);
  const bombs = new Set<number>();
  items.forEach((item, i) => bombItems.has(item) && bombs.add(i));

  const list: Scenario['list'] = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items };
  if (inFunctionConfig) list.functionConfig = inFunctionConfig;

  const wantsNodes = list.items.concat(inFunctionConfig ? [inFunctionConfig] : [])
    .some((o) => (o as { apiVersion?: unknown } | null)?.apiVersion === API && Array.isArray((o as { spec?: { nodes?: unknown } } | null)?.spec?.nodes));
  const reasons: Reason[] = [];
  if (nonObject) reasons.push({ kind: nonObject.value === null ? 'null item' : 'not an object', why: 'an item is not an object' });
  if (policies.length === 0) reasons.push({ kind: 'refused', why: 'no SecurityPolicy of ours' });
  for (const p of policies) if (p.invalid) reasons.push({ kind: 'refused', why: `${p.policyName}: ${p.invalid}` });
  // Contract rule 7: spec.nodes with no Node at all is an error, unless a snapshot says there are none.
  if (wantsNodes && nodes.length === 0 && !zeroNodeSnapshot) reasons.push({ kind: 'refused', why: 'spec.nodes with no Node at all, and no NodeSnapshot' });
  why.push(...reasons.map((r) => r.why));
  const expectExit = exitFor(reasons);
  return { list, policies, expectExit, reasons, bombs, functionConfigBomb: bombItems.has(inFunctionConfig), why };
}

/** The exit code the contract gives for these reasons. */
export function exitFor(reasons: readonly Reason[]): 0 | 1 {
  return reasons.length > 0 ? 1 : 0;
}
