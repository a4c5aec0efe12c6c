// The Composition step's input over real gRPC: target upbound composes provider-gcp's SecurityPolicy
// (valid against the provider's CRD) with readiness and PolicySynced from the managed resource's
// Ready and Synced conditions; a bad input is Fatal naming the field and value; the TTL comes from
// the input; Nodes the step declared statically (`nodes`) are used in one call.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { render } from '../../fn/core';
import { realPrivateNode, realPublicNode, realSpotNode } from '../helpers/nodes';
import { validateAgainstUpbound } from '../helpers/upbound-crd';
import { serveForSuite, type Obj } from './harness';

const XR = {
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'web-allowlist', namespace: 'team-web' },
  spec: {
    sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }],
    nodes: [{ name: 'gke-egress', selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-1' } } }],
    attach: { backendConfigs: [{ name: 'web' }] },
  },
};
const INPUT = { apiVersion: 'security.example.org/v1alpha1', kind: 'Input', spec: { target: 'upbound', providerConfigRef: { kind: 'ProviderConfig', name: 'gcp-web' }, ttl: '15s' } };
const NODES = [realPublicNode(), realPrivateNode(), realSpotNode()];
const KEY = 'nodes-gke-egress';
const MR = 'provider-gcp-security-policy';

type Resources = Record<string, { resource: Obj; ready?: string }>;
const resourcesOf = (rsp: Obj): Resources => ((rsp.desired as { resources?: Resources }).resources ?? {});
const conditions = (status: Record<string, string>): Obj => ({ status: { conditions: Object.entries(status).map(([type, s]) => ({ type, status: s, reason: s === 'True' ? 'Available' : 'ReconcileError', message: s === 'True' ? '' : 'googleapi: Error 403: quota exceeded' })) } });

describe('Composition step input: target upbound', () => {
  const suite = serveForSuite();

  test('composes the provider-gcp SecurityPolicy, valid against its CRD, with the same rules as Config Connector; TTL from the input', async () => {
    const rsp = await suite.client.run({ tag: 't', input: INPUT, observed: { composite: { resource: XR } }, required_resources: { [KEY]: NODES } });
    assert.deepStrictEqual(rsp.results ?? [], []);
    assert.deepStrictEqual(rsp.meta, { tag: 't', ttl: { seconds: 15 } });
    const resources = resourcesOf(rsp);
    assert.deepStrictEqual(Object.keys(resources).sort(), ['backendconfig.team-web.web', MR]);
    const mr = resources[MR]!.resource;
    assert.deepStrictEqual(validateAgainstUpbound(mr), []);
    assert.deepStrictEqual((mr.spec as Obj).providerConfigRef, { kind: 'ProviderConfig', name: 'gcp-web' });
    const kcc = render({ securityPolicy: XR, nodes: NODES as never });
    assert.deepStrictEqual(((mr.spec as Obj).forProvider as Obj).rule, kcc.objects[0]!.spec!.rule);
    assert.deepStrictEqual(resources['backendconfig.team-web.web']!.resource, kcc.objects[1]);
    assert.deepStrictEqual(rsp.conditions, [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Creating', message: 'SecurityPolicy web-allowlist is not observed yet' }]);
  });

  test('readiness and PolicySynced follow the managed resource\'s Ready and Synced conditions', async () => {
    const first = await suite.client.run({ tag: 't', input: INPUT, observed: { composite: { resource: XR } }, required_resources: { [KEY]: NODES } });
    const desiredMr = resourcesOf(first)[MR]!.resource;
    const table: Array<[Record<string, string>, string | undefined, Obj]> = [
      [{ Synced: 'True', Ready: 'True' }, 'READY_TRUE', { type: 'PolicySynced', status: 'STATUS_CONDITION_TRUE', reason: 'Synced', message: 'Cloud Armor policy web-allowlist has the 3 desired rules' }],
      [{ Synced: 'False', Ready: 'True' }, 'READY_TRUE', { type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Reconciling', message: 'SecurityPolicy web-allowlist is not Synced (ReconcileError): googleapi: Error 403: quota exceeded' }],
      [{ Synced: 'True', Ready: 'False' }, undefined, { type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Reconciling', message: 'SecurityPolicy web-allowlist is not Ready: googleapi: Error 403: quota exceeded' }],
    ];
    for (const [status, ready, synced] of table) {
      const observed = { ...desiredMr, ...conditions(status) };
      const rsp = await suite.client.run({ tag: 't', input: INPUT, observed: { composite: { resource: XR }, resources: { [MR]: { resource: observed } } }, required_resources: { [KEY]: NODES } });
      assert.equal(resourcesOf(rsp)[MR]!.ready, ready, JSON.stringify(status));
      assert.deepStrictEqual(rsp.conditions, [synced]);
    }
    // Rules not yet applied by the provider: Updating, whatever the conditions say.
    const stale = structuredClone(desiredMr) as { spec: { forProvider: { rule: Array<{ match: { config: { srcIpRanges: string[] } } }> } } };
    stale.spec.forProvider.rule[0]!.match.config.srcIpRanges = ['192.0.2.1/32'];
    const rsp = await suite.client.run({ tag: 't', input: INPUT, observed: { composite: { resource: XR }, resources: { [MR]: { resource: { ...stale, ...conditions({ Synced: 'True', Ready: 'True' }) } } } }, required_resources: { [KEY]: NODES } });
    assert.equal((rsp.conditions as Obj[])[0]!.reason, 'Updating');

    // The spec holds the desired rules but the provider's view of Cloud Armor (status.atProvider) still
    // has other ones: the observed state is what Google Cloud has, so not Synced yet.
    const atProvider = { rule: stale.spec.forProvider.rule };
    const behind = await suite.client.run({ tag: 't', input: INPUT, observed: { composite: { resource: XR }, resources: { [MR]: { resource: { ...desiredMr, status: { ...(conditions({ Synced: 'True', Ready: 'True' }).status as Obj), atProvider } } } } }, required_resources: { [KEY]: NODES } });
    assert.equal((behind.conditions as Obj[])[0]!.reason, 'Updating');
    // ...and once atProvider has them (ranges in another order, preview left out when false), Synced.
    const applied = (desiredMr.spec as { forProvider: { rule: Array<Obj & { preview: boolean; match: { config: { srcIpRanges: string[] } } }> } }).forProvider.rule
      .map(({ preview, ...r }) => ({ ...r, ...(preview ? { preview } : {}), match: { ...r.match, config: { srcIpRanges: [...r.match.config.srcIpRanges].reverse() } } }));
    const current = await suite.client.run({ tag: 't', input: INPUT, observed: { composite: { resource: XR }, resources: { [MR]: { resource: { ...stale, status: { ...(conditions({ Synced: 'True', Ready: 'True' }).status as Obj), atProvider: { rule: applied } } } } } }, required_resources: { [KEY]: NODES } });
    assert.equal((current.conditions as Obj[])[0]!.reason, 'Synced');
  });

  test('a bad input is Fatal naming the field and the value; nothing is composed or asked for', async () => {
    for (const [spec, message] of [
      [{ target: 'terraform' }, 'input.spec.target: "terraform" is invalid: Invalid option: expected one of "configconnector"|"upbound"'],
      [{ ttl: 'soon' }, 'input.spec.ttl: "soon" is invalid: must be a duration such as 30s, 1m30s or 2m'],
      [{ providerConfigRef: { kind: 'ProviderConfig', name: 'gcp' } }, 'input.spec.providerConfigRef: applies to target upbound only (target is configconnector, the default)'],
    ] as const) {
      const rsp = await suite.client.run({ tag: 't', input: { ...INPUT, spec }, observed: { composite: { resource: XR } }, desired: { resources: { earlier: { resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } } } } });
      assert.deepStrictEqual(rsp.results, [{ severity: 'SEVERITY_FATAL', reason: 'InvalidInput', message }]);
      assert.deepStrictEqual(Object.keys(resourcesOf(rsp)), ['earlier']);
      assert.equal(rsp.requirements, undefined);
      assert.deepStrictEqual(rsp.conditions, [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'InvalidInput', message }]);
    }
  });
});

describe('Nodes declared by the step (static requirements)', () => {
  const suite = serveForSuite();

  test('`nodes` declared: one call composes from it and asks for nothing', async () => {
    const rsp = await suite.client.run({ tag: 's', capabilities: [1, 2], observed: { composite: { resource: XR } }, required_resources: { nodes: NODES } });
    assert.equal(rsp.requirements, undefined);
    const kcc = render({ securityPolicy: XR, nodes: NODES as never });
    assert.deepStrictEqual(resourcesOf(rsp)['security-policy']!.resource, kcc.objects[0]);
  });

  test('the function\'s own keys declared statically are used without asking again (the same requirements come back)', async () => {
    const rsp = await suite.client.run({ tag: 's', capabilities: [1, 2], observed: { composite: { resource: XR } }, required_resources: { [KEY]: [NODES[0]!] } });
    assert.ok(resourcesOf(rsp)['security-policy'], 'composed on the first call');
  });

  test('Nodes under any other name are not used: the function asks for its own, composing nothing from a view it cannot vouch for', async () => {
    const rsp = await suite.client.run({ tag: 's', capabilities: [1, 2], observed: { composite: { resource: XR } }, required_resources: { 'pool-1-nodes': [NODES[0]!] } });
    assert.deepStrictEqual(Object.keys(resourcesOf(rsp)), []);
    assert.deepStrictEqual(Object.keys((rsp.requirements as { resources: Obj }).resources), [KEY]);
  });

  test('`nodes` holding something other than Nodes is Fatal', async () => {
    const rsp = await suite.client.run({ tag: 's', observed: { composite: { resource: XR } }, required_resources: { nodes: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }] } });
    assert.equal((rsp.results as Obj[])[0]!.severity, 'SEVERITY_FATAL');
    assert.match(String((rsp.results as Obj[])[0]!.message), /"nodes" holds a v1 ConfigMap.*apiVersion v1, kind Node, matchLabels \{\}/);
    assert.deepStrictEqual(Object.keys(resourcesOf(rsp)), []);
  });
});
