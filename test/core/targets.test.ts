// The two output targets: Config Connector's ComputeSecurityPolicy (default) and provider-gcp's
// compute.gcp.m.upbound.io SecurityPolicy. Same rules, only the shape differs; every provider-gcp
// manifest is validated against the provider's CRD.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { render, type RenderInput } from '../../fn/core';
import { cloudArmorLimitErrors, validateAgainstKcc } from '../helpers/crd';
import { makeNode } from '../helpers/nodes';
import { upboundRuleErrors, validateAgainstUpbound } from '../helpers/upbound-crd';

const policy = (spec: Record<string, unknown>, name = 'web-allowlist') => ({
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name, namespace: 'team-web' },
  spec,
});

const EXAMPLE = policy({
  policy: { projectID: 'my-project', type: 'CLOUD_ARMOR_EDGE', description: 'edge allowlist' },
  defaultAction: 'deny(404)',
  sources: [{ name: 'office', cidrs: ['203.0.113.0/24', '198.51.100.7', '2001:db8:1234::/48'] }],
  nodes: [{ name: 'egress' }],
  attach: { backendConfigs: [{ name: 'web' }], gcpBackendPolicies: [{ name: 'web', targetRef: { group: '', kind: 'Service', name: 'web' } }] },
});
const NODES = [makeNode({ name: 'n1', pool: 'default-pool', ready: true, internalIP: '10.0.0.2', externalIP: '34.1.2.3', imageCount: 0, seed: 1 })];

describe('target upbound', () => {
  const out = render({ securityPolicy: EXAMPLE, nodes: NODES, target: { target: 'upbound', providerConfigRef: { kind: 'ProviderConfig', name: 'gcp-team-web' } } });
  const mr = out.objects[0]!;

  test('emits a provider-gcp SecurityPolicy valid against its CRD', () => {
    assert.deepStrictEqual(out.findings.filter((f) => f.severity === 'error'), []);
    assert.equal(mr.apiVersion, 'compute.gcp.m.upbound.io/v1beta1');
    assert.equal(mr.kind, 'SecurityPolicy');
    assert.deepStrictEqual(validateAgainstUpbound(mr), []);
    assert.deepStrictEqual(upboundRuleErrors(mr), []);
  });

  test('names the policy by external-name, takes project and type as given, and the ProviderConfig reference', () => {
    assert.deepStrictEqual(mr.metadata, { name: 'web-allowlist', namespace: 'team-web', annotations: { 'crossplane.io/external-name': 'web-allowlist', 'function-security-policy/generated-from': 'SecurityPolicy/team-web/web-allowlist' } });
    const spec = mr.spec as { forProvider: Record<string, unknown>; providerConfigRef: unknown };
    assert.equal(spec.forProvider.project, 'my-project');
    assert.equal(spec.forProvider.type, 'CLOUD_ARMOR_EDGE');
    assert.equal(spec.forProvider.description, 'edge allowlist');
    assert.deepStrictEqual(spec.providerConfigRef, { kind: 'ProviderConfig', name: 'gcp-team-web' });
  });

  test('without projectID or providerConfigRef it leaves both to the provider (CRD default ClusterProviderConfig "default")', () => {
    const plain = render({ securityPolicy: policy({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] }), nodes: [], target: { target: 'upbound' } });
    const spec = plain.objects[0]!.spec as { forProvider: Record<string, unknown>; providerConfigRef?: unknown };
    assert.equal('project' in spec.forProvider, false);
    assert.equal(spec.providerConfigRef, undefined);
    assert.deepStrictEqual(validateAgainstUpbound(plain.objects[0]), []);
  });

  test('the attachments name the Cloud Armor policy exactly as with Config Connector', () => {
    const kcc = render({ securityPolicy: EXAMPLE, nodes: NODES });
    assert.deepStrictEqual(out.objects.slice(1), kcc.objects.slice(1));
    assert.equal(out.objects.length, 3);
    assert.deepStrictEqual(out.status, kcc.status);
  });

  test('the CRD check has teeth: a one-item list where the CRD wants an object, and an unknown field, are refused', () => {
    const bad = structuredClone(mr) as unknown as { spec: { forProvider: { rule: Array<Record<string, unknown>> } } };
    const rule = bad.spec.forProvider.rule[0]!;
    rule.match = [rule.match];
    assert.notDeepStrictEqual(validateAgainstUpbound(bad), []);
    const unknown = structuredClone(mr) as unknown as { spec: { forProvider: Record<string, unknown> } };
    unknown.spec.forProvider.rules = [];
    assert.match(validateAgainstUpbound(unknown).join('\n'), /unknown field "rules"/);
  });

  test('whenNoNodes Keep reads the previous policy in the provider-gcp shape', () => {
    const keep = policy({ nodes: [{ name: 'egress', whenNoNodes: 'Keep' }] });
    const first = render({ securityPolicy: keep, nodes: NODES, target: { target: 'upbound' } });
    const again = render({ securityPolicy: keep, nodes: [], previousPolicy: first.objects[0], target: { target: 'upbound' } });
    assert.deepStrictEqual(again.objects[0], first.objects[0]);
  });
});

// ---------------------------------------------------------------- property: same rules in both shapes

const SPACE = 1024;
const v4 = (n: number) => `10.0.${(n >> 8) & 3}.${n & 255}`;
const cidrArb = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: SPACE - 1 }), fc.integer({ min: 22, max: 32 })).map(([six, n, p]) =>
  six ? `2001:db8::${n.toString(16)}/${p + 96}` : `${v4(n)}/${p}`);
const scenarioArb = fc.record({
  sources: fc.uniqueArray(fc.constantFrom('office', 'partner-a', 'vpn', 'x'), { maxLength: 3 }).chain((names) =>
    fc.tuple(...names.map((name) => fc.array(cidrArb, { maxLength: 25 }).map((cidrs) => ({ name, cidrs }))))),
  nodes: fc.array(fc.record({ pool: fc.constantFrom('a', 'b'), ready: fc.boolean(), ext: fc.integer({ min: 0, max: SPACE - 1 }) }), { maxLength: 6 }),
  entries: fc.subarray([{ name: 'pool-a', pool: 'a' }, { name: 'pool-b', pool: 'b' }, { name: 'all' }]),
  preview: fc.boolean(),
  defaultAction: fc.constantFrom('deny(403)', 'deny(502)', 'allow'),
  type: fc.constantFrom('CLOUD_ARMOR', 'CLOUD_ARMOR_EDGE'),
  projectID: fc.option(fc.constant('proj-1'), { nil: undefined }),
});

test('property: for the same input both targets give the same rules, each valid against its own CRD', () => {
  fc.assert(fc.property(scenarioArb, (s) => {
    const input: RenderInput = {
      securityPolicy: policy({
        policy: { type: s.type, ...(s.projectID ? { projectID: s.projectID } : {}) },
        preview: s.preview,
        defaultAction: s.defaultAction,
        limits: { maxRules: 1000 },
        sources: s.sources,
        nodes: s.entries.map((e) => ({ name: e.name, includeNotReady: true, ...(e.pool ? { selector: { matchLabels: { 'cloud.google.com/gke-nodepool': e.pool } } } : {}) })),
      }),
      nodes: s.nodes.map((n, i) => makeNode({ name: `n${i}`, pool: n.pool, ready: n.ready, internalIP: '10.9.0.1', externalIP: v4(n.ext), imageCount: 0, seed: i })),
    };
    const kcc = render(input);
    const up = render({ ...input, target: { target: 'upbound', providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' } } });
    assert.deepStrictEqual(up.findings, kcc.findings);
    assert.deepStrictEqual(up.status, kcc.status);
    const [kPolicy, ...kRest] = kcc.objects;
    const [uPolicy, ...uRest] = up.objects;
    assert.deepStrictEqual((uPolicy!.spec as { forProvider: { rule: unknown } }).forProvider.rule, kPolicy!.spec!.rule);
    assert.deepStrictEqual(uRest, kRest);
    assert.deepStrictEqual(validateAgainstKcc(kPolicy), []);
    assert.deepStrictEqual(cloudArmorLimitErrors(kPolicy), []);
    assert.deepStrictEqual(validateAgainstUpbound(uPolicy), []);
    assert.deepStrictEqual(upboundRuleErrors(uPolicy), []);
  }), { seed: 10, numRuns: 200 });
});
