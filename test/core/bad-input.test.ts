// Bad input: every mistake gets an error finding that names the field path and shows the value, nothing
// is emitted, and render() never throws whatever it is given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe as describeFinding, render, type Finding, type RenderOutput } from '../../fn/core';
import { validateAgainstKcc } from '../helpers/crd';
import { realNodes } from '../helpers/nodes';

const sp = (spec: unknown, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'web-allowlist' },
  spec,
  ...extra,
});

const run = (securityPolicy: unknown): RenderOutput => render({ securityPolicy, nodes: realNodes() });
const errors = (out: RenderOutput): Finding[] => out.findings.filter((f) => f.severity === 'error');

/** Asserts nothing was emitted and an error names `field` and contains every `shows` text. */
function expectError(out: RenderOutput, field: string, ...shows: string[]): Finding {
  assert.deepEqual(out.objects, [], 'nothing is emitted on error');
  assert.equal(out.status, undefined);
  const f = errors(out).find((e) => e.field === field);
  assert.ok(f, `no error for ${field} in ${JSON.stringify(out.findings)}`);
  for (const s of shows) assert.ok(describeFinding(f).includes(s), `${JSON.stringify(describeFinding(f))} should contain ${JSON.stringify(s)}`);
  return f;
}

const good = { name: 'office', cidrs: ['203.0.113.0/24'] };

test('invalid CIDR: the exact path spec.sources[2].cidrs[4] and the value', () => {
  const out = run(sp({ sources: [good, { name: 'b', cidrs: ['192.0.2.0/24'] }, { name: 'c', cidrs: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4', '10.0.0.300/24', '5.5.5.5'] }] }));
  const f = expectError(out, 'spec.sources[2].cidrs[4]', '"10.0.0.300/24"');
  assert.equal(f.value, '10.0.0.300/24');
  assert.equal(errors(out).length, 1, 'only the bad entry is reported');
});

test('every invalid CIDR is reported, each with its own path', () => {
  const bad = ['010.0.0.1', '10.1', '1.2.3.4/33', '::1/129', 'fe80::1%eth0', '', 'abc', '1.2.3.4 /24'];
  const out = run(sp({ sources: [{ name: 'bad', cidrs: ['192.0.2.0/24', ...bad] }] }));
  assert.deepEqual(out.objects, []);
  assert.deepEqual(errors(out).map((f) => [f.field, f.value]), bad.map((b, i) => [`spec.sources[0].cidrs[${i + 1}]`, b]));
  for (const f of errors(out)) assert.ok(f.message.includes(JSON.stringify(f.value)));
});

test('unknown defaultAction', () => {
  const f = expectError(run(sp({ defaultAction: 'deny' })), 'spec.defaultAction', '"deny"', 'deny(403)');
  assert.equal(f.value, 'deny');
  expectError(run(sp({ defaultAction: 'DENY(403)' })), 'spec.defaultAction', '"DENY(403)"');
  expectError(run(sp({ defaultAction: 'throttle' })), 'spec.defaultAction', '"throttle"');
});

for (const broad of ['0.0.0.0/0', '::/0', '10.0.0.0/7', '2000::/31', '::ffff:0:0/96']) {
  test(`${broad} needs allowBroadRanges`, () => {
    const spec = { sources: [good, { name: 'everyone', cidrs: ['192.0.2.0/24', broad] }] };
    const f = expectError(run(sp(spec)), 'spec.sources[1].cidrs[1]', JSON.stringify(broad), 'allowBroadRanges');
    assert.equal(f.value, broad);
    expectError(run(sp({ ...spec, allowBroadRanges: false })), 'spec.sources[1].cidrs[1]', JSON.stringify(broad));
    const ok = run(sp({ ...spec, allowBroadRanges: true }));
    assert.deepEqual(errors(ok), []);
    assert.equal(ok.objects.length, 1);
    assert.deepEqual(validateAgainstKcc(ok.objects[0]), []);
    const ranges = (ok.objects[0]!.spec!.rule as Array<{ description: string; match: { config: { srcIpRanges: string[] } } }>)
      .find((r) => r.description === 'everyone 1/1')!.match.config.srcIpRanges;
    assert.ok(ranges.length === 1 || ranges.length === 2, JSON.stringify(ranges));
  });
}

test('/8 and /32 are not broad', () => {
  assert.deepEqual(errors(run(sp({ sources: [{ name: 'a', cidrs: ['10.0.0.0/8', '2001:db8::/32'] }] }))), []);
});

test('duplicate names among sources', () => {
  const f = expectError(run(sp({ sources: [good, { name: 'partner', cidrs: [] }, { name: 'office', cidrs: ['192.0.2.0/24'] }] })), 'spec.sources[2].name', '"office"', 'spec.sources[0].name');
  assert.equal(f.value, 'office');
});

test('duplicate names between sources and nodes', () => {
  expectError(run(sp({ sources: [good], nodes: [{ name: 'gke' }, { name: 'office' }] })), 'spec.nodes[1].name', '"office"', 'spec.sources[0].name');
});

test('wrong types', () => {
  const f = expectError(run(sp({ sources: [{ name: 'office', cidrs: '1.2.3.4' }] })), 'spec.sources[0].cidrs', '"1.2.3.4"', 'array');
  assert.equal(f.value, '1.2.3.4');
  expectError(run(sp({ preview: 'yes' })), 'spec.preview', '"yes"', 'boolean');
  expectError(run(sp({ allowBroadRanges: 'true' })), 'spec.allowBroadRanges', '"true"');
  expectError(run(sp({ sources: [{ name: 'office', cidrs: [1234] }] })), 'spec.sources[0].cidrs[0]', '1234');
  expectError(run(sp({ sources: { office: ['1.2.3.4'] } })), 'spec.sources', 'office');
  expectError(run(sp({ nodes: [{ name: 'gke', addressTypes: 'ExternalIP' }] })), 'spec.nodes[0].addressTypes', '"ExternalIP"');
  expectError(run(sp({ nodes: [{ name: 'gke', addressTypes: ['PublicIP'] }] })), 'spec.nodes[0].addressTypes[0]', '"PublicIP"');
  expectError(run(sp({ nodes: [{ name: 'gke', whenNoNodes: 'Delete' }] })), 'spec.nodes[0].whenNoNodes', '"Delete"');
  expectError(run(sp({ nodes: [{ name: 'gke', includeNotReady: 'no' }] })), 'spec.nodes[0].includeNotReady', '"no"');
  expectError(run(sp({ nodes: [{ name: 'gke', selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }] })), 'spec.nodes[0].selector.matchExpressions[0].values', 'In');
  expectError(run(sp({ nodes: [{ name: 'gke', selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } }] })), 'spec.nodes[0].selector.matchExpressions[0].values', '["x"]');
  expectError(run(sp({ nodes: [{ name: 'gke', selector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] } }] })), 'spec.nodes[0].selector.matchExpressions[0].operator', '"Gt"');
  expectError(run(sp({ limits: { maxRules: '200' } })), 'spec.limits.maxRules', '"200"');
  expectError(run(sp({ limits: { maxRules: 0 } })), 'spec.limits.maxRules', '0');
  expectError(run(sp({ limits: { maxRules: 10_001 } })), 'spec.limits.maxRules', '10001');
  expectError(run(sp({ sources: [{ name: 'Office', cidrs: [] }] })), 'spec.sources[0].name', '"Office"');
  expectError(run(sp(['a'])), 'spec', '["a"]');
});

test('unknown fields (typos) are errors naming the field', () => {
  expectError(run(sp({ allowBroadRange: true })), 'spec.allowBroadRange', 'allowBroadRange');
  expectError(run(sp({ sources: [{ ...good, cidr: ['1.2.3.4'] }] })), 'spec.sources[0].cidr', 'cidr');
  expectError(run(sp({ nodes: [{ name: 'gke', selector: { matchLabel: { a: 'b' } } }] })), 'spec.nodes[0].selector.matchLabel', 'matchLabel');
  expectError(run(sp({ policy: { projectId: 'p' } })), 'spec.policy.projectId', 'projectId');
});

test('bad policy names', () => {
  expectError(run(sp({ policy: { name: 'Web_Allow' } })), 'spec.policy.name', '"Web_Allow"', 'RFC 1035');
  expectError(run(sp({ policy: { name: '1web' } })), 'spec.policy.name', '"1web"');
  expectError(run(sp({ policy: { name: 'web-' } })), 'spec.policy.name', '"web-"');
  expectError(run(sp({ policy: { name: 'a'.repeat(64) } })), 'spec.policy.name', 'a'.repeat(64));
  expectError(run(sp({ policy: { type: 'CLOUD_ARMOR_NETWORK' } })), 'spec.policy.type', '"CLOUD_ARMOR_NETWORK"');
  // defaulted from metadata.name, which Kubernetes allows to be a DNS subdomain
  const out = run({ ...sp({ sources: [good] }), metadata: { name: 'web.allowlist' } });
  expectError(out, 'metadata.name', '"web.allowlist"', 'spec.policy.name');
  // ... and fixed by setting spec.policy.name
  assert.deepEqual(errors(run({ ...sp({ sources: [good], policy: { name: 'web-allowlist' } }), metadata: { name: 'web.allowlist' } })), []);
});

test('maxRules exceeded: the counts are given and nothing is emitted', () => {
  const cidrs = Array.from({ length: 25 }, (_, i) => `198.51.100.${i * 2}`); // 3 rules
  const f = expectError(run(sp({ limits: { maxRules: 3 }, sources: [{ name: 'partners', cidrs }] })), 'spec.limits.maxRules', '4 rules', '3 allow rules', 'maxRules is 3');
  assert.equal(f.value, 3);
  assert.deepEqual(errors(run(sp({ limits: { maxRules: 4 }, sources: [{ name: 'partners', cidrs }] }))), []);
  // the default limit is 200 rules: 199 allow rules + the default rule fit, 200 do not
  const many = (n: number) => Array.from({ length: n * 10 }, (_, i) => `10.${i >> 8}.${i & 255}.0/25`);
  assert.deepEqual(errors(run(sp({ sources: [{ name: 'many', cidrs: many(199) }] }))), []);
  expectError(run(sp({ sources: [{ name: 'many', cidrs: many(200) }] })), 'spec.limits.maxRules', '201 rules', '200 allow rules', 'maxRules is 200');
});

test('kind, apiVersion and metadata of the SecurityPolicy', () => {
  expectError(run({ ...sp({}), kind: 'SecurityPolicies' }), 'kind', '"SecurityPolicies"');
  expectError(run({ ...sp({}), kind: 'ComputeSecurityPolicy' }), 'kind', '"ComputeSecurityPolicy"');
  expectError(run({ ...sp({}), apiVersion: 'not a version' }), 'apiVersion', '"not a version"');
  expectError(run({ kind: 'SecurityPolicy', metadata: { name: 'x' }, spec: {} }), 'apiVersion', 'missing');
  expectError(run({ apiVersion: 'v1', kind: 'SecurityPolicy', metadata: { name: 'x' } }), 'spec', 'missing');
  // any API group is accepted (Crossplane users pick their own)
  assert.deepEqual(errors(run({ ...sp({ sources: [good] }), apiVersion: 'platform.acme.io/v1' })), []);
});

test('non-objects are reported, not thrown', () => {
  for (const input of [undefined, null, 42, 'SecurityPolicy', [], [sp({})], true]) {
    const out = render({ securityPolicy: input, nodes: [] });
    assert.deepEqual(out.objects, []);
    assert.ok(errors(out).length > 0, JSON.stringify(input));
  }
});

// ---------------------------------------------------------------- never throws

const RUNS = { seed: 424_242, numRuns: 400 };

function checkShape(out: RenderOutput): void {
  assert.ok(Array.isArray(out.objects) && Array.isArray(out.findings));
  for (const f of out.findings) {
    assert.ok(f.severity === 'error' || f.severity === 'warning' || f.severity === 'info');
    assert.equal(typeof f.message, 'string');
  }
  if (out.findings.some((f) => f.severity === 'error')) assert.deepEqual(out.objects, []);
  else for (const o of out.objects) assert.deepEqual(validateAgainstKcc(o), []);
}

test('property: render never throws on arbitrary values', () => {
  fc.assert(
    fc.property(fc.anything(), fc.array(fc.anything(), { maxLength: 4 }), fc.anything(), (securityPolicy, nodes, previousPolicy) => {
      const out = render({ securityPolicy, nodes: nodes as never, previousPolicy });
      checkShape(out);
      assert.ok(out.findings.length > 0);
    }),
    RUNS,
  );
});

test('property: render never throws on arbitrary JSON in every field of a SecurityPolicy', () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const field = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, json), { nil: undefined });
  const cidr = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4().map((a) => `${a}/${a.length % 33}`), fc.string());
  const spec = fc.record(
    {
      policy: field(fc.record({ name: field(fc.constantFrom('web', 'Web', '')), projectID: field(fc.string()), type: field(fc.constantFrom('CLOUD_ARMOR', 'X')) }, { requiredKeys: [] })),
      defaultAction: field(fc.constantFrom('deny(403)', 'allow', 'deny')),
      preview: field(fc.boolean()),
      sources: field(fc.array(fc.record({ name: fc.oneof(fc.constantFrom('a', 'b', 'a'), json), cidrs: fc.oneof(fc.array(cidr, { maxLength: 5 }), json) }), { maxLength: 3 })),
      nodes: field(fc.array(fc.record({ name: fc.constantFrom('n', 'm', 'a'), selector: field(fc.record({ matchLabels: field(fc.dictionary(fc.string(), fc.string())) }, { requiredKeys: [] })), addressTypes: field(fc.constantFrom(['ExternalIP'], ['InternalIP'], ['Hostname'])), whenNoNodes: field(fc.constantFrom('Keep', 'Remove')) }, { requiredKeys: ['name'] }), { maxLength: 2 })),
      limits: field(fc.record({ maxRules: field(fc.integer({ min: -1, max: 5 })) }, { requiredKeys: [] })),
      allowBroadRanges: field(fc.boolean()),
    },
    { requiredKeys: [] },
  );
  // Nodes: the real ones, with any part replaced by arbitrary JSON (observed data can be malformed).
  const node = fc.tuple(fc.constantFrom(...realNodes()), fc.constantFrom('metadata', 'status', 'addresses', 'conditions', 'labels', 'none'), json).map(([n, part, v]) => {
    const c = structuredClone(n) as Record<string, any>;
    if (part === 'metadata' || part === 'status') c[part] = v;
    else if (part === 'addresses' || part === 'conditions') c.status[part] = v;
    else if (part === 'labels') c.metadata.labels = v;
    return c;
  });
  fc.assert(
    fc.property(spec, fc.array(node, { maxLength: 4 }), fc.option(json, { nil: undefined }), (s, nodes, previousPolicy) => {
      const out = render({ securityPolicy: sp(s), nodes: nodes as never, previousPolicy });
      checkShape(out);
    }),
    RUNS,
  );
});

test('property: render never throws on malformed Node objects (observed data, e.g. a hand-edited snapshot)', () => {
  // Every entry selects every Node, so each malformed part is actually read.
  const spec = fc.record({
    includeNotReady: fc.boolean(),
    addressTypes: fc.constantFrom(['ExternalIP'], ['InternalIP', 'Hostname']),
    selector: fc.constantFrom(undefined, { matchExpressions: [{ key: 'cloud.google.com/gke-nodepool', operator: 'Exists' }] }, { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['y'] }] }),
  });
  const anything = fc.anything({ maxDepth: 2 });
  const node = fc.oneof(
    anything,
    fc.tuple(fc.constantFrom(...realNodes()), fc.constantFrom('metadata', 'status', 'addresses', 'address', 'conditions', 'condition', 'labels'), anything).map(([n, part, v]) => {
      const c = structuredClone(n) as Record<string, any>;
      if (part === 'metadata' || part === 'status') c[part] = v;
      else if (part === 'addresses' || part === 'conditions') c.status[part] = v;
      else if (part === 'address') c.status.addresses[0] = v;
      else if (part === 'condition') c.status.conditions[c.status.conditions.length - 1] = v;
      else c.metadata.labels = v;
      return c;
    }),
  );
  fc.assert(
    fc.property(spec, fc.array(node, { minLength: 1, maxLength: 4 }), (entry, nodes) => {
      const out = render({ securityPolicy: sp({ nodes: [{ name: 'gke', ...entry }] }), nodes: nodes as never });
      checkShape(out);
      assert.deepEqual(errors(out), [], 'malformed observed Nodes are warnings, not errors');
    }),
    RUNS,
  );
});

test('malformed Nodes: each case is skipped or warned about, never thrown', () => {
  const broken: Array<(n: Record<string, any>) => unknown> = [
    (n) => { n.status.addresses = 5; return n; },
    (n) => { n.status.addresses = [null, { type: 'ExternalIP' }, { type: 'ExternalIP', address: 7 }]; return n; },
    (n) => { n.status.addresses = [{ type: 'ExternalIP', address: { ip: '1.2.3.4' } }]; return n; },
    (n) => { n.status.conditions = 'True'; return n; },
    (n) => { n.status.conditions = [null, 'Ready']; return n; },
    (n) => { n.status = null; return n; },
    (n) => { n.metadata = 'node'; return n; },
    () => null,
    () => 'a node',
  ];
  for (const [i, breakIt] of broken.entries()) {
    const node = breakIt(structuredClone(realNodes()[0]) as Record<string, any>);
    for (const includeNotReady of [false, true]) {
      const out = render({ securityPolicy: sp({ nodes: [{ name: 'gke', includeNotReady }] }), nodes: [node, realNodes()[2]] as never });
      assert.deepEqual(errors(out), [], `case ${i}`);
      const rule = (out.objects[0]!.spec!.rule as Array<{ description: string; match: { config: { srcIpRanges: string[] } } }>).find((r) => r.description === 'gke 1/1');
      // broken conditions only make the node not Ready (with includeNotReady its good address counts);
      // broken metadata only loses the labels, which an empty selector does not need
      const expected = (includeNotReady && (i === 3 || i === 4)) || i === 6 ? ['34.79.110.181/32', '35.192.99.255/32'] : ['34.79.110.181/32'];
      assert.deepEqual(rule?.match.config.srcIpRanges, expected, `case ${i}: the healthy spot node still counts`);
    }
  }
});

test('one object attached twice with different settings is an error naming both entries; an exact repeat is not', () => {
  const gw = (name: string) => ({ name: 'web', namespace: 'web', targetRef: { group: '', kind: 'Service', name } });
  expectError(run(sp({ attach: { gcpBackendPolicies: [gw('one'), gw('two')] } })), 'spec.attach.gcpBackendPolicies[1]', 'spec.attach.gcpBackendPolicies[0]', 'GCPBackendPolicy web/web');
  assert.deepEqual(errors(run(sp({ attach: { gcpBackendPolicies: [gw('one'), gw('one')], backendConfigs: [{ name: 'web' }, { name: 'web' }] } }))), []);
});
