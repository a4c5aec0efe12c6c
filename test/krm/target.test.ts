// KRM: a functionConfig of kind Input chooses the target for every SecurityPolicy among the items.
// With target upbound the package gets provider-gcp's SecurityPolicy (valid against its CRD), re-runs
// change nothing, whenNoNodes Keep reads it back; a bad Input is an error naming functionConfig's field.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processResourceList } from '../../fn/krm/process';
import { makeNode } from '../helpers/nodes';
import { validateAgainstUpbound } from '../helpers/upbound-crd';

const SP = {
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'web', namespace: 'team-web', annotations: { 'config.kubernetes.io/path': 'sp.yaml' } },
  spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes: [{ name: 'egress', whenNoNodes: 'Keep' }], attach: { backendConfigs: [{ name: 'web' }] } },
};
const NODE = { ...makeNode({ name: 'n1', pool: 'p', ready: true, internalIP: '10.0.0.1', externalIP: '34.1.2.3', imageCount: 0, seed: 1 }) };
const INPUT = { apiVersion: 'security.example.org/v1alpha1', kind: 'Input', metadata: { name: 'options' }, spec: { target: 'upbound', providerConfigRef: { kind: 'ProviderConfig', name: 'gcp' } } };
const list = (items: unknown[], functionConfig: unknown = INPUT) => ({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, functionConfig });

describe('KRM functionConfig Input', () => {
  test('target upbound: the provider-gcp SecurityPolicy beside the items, valid against its CRD; a re-run changes nothing', () => {
    const first = processResourceList(list([SP, NODE]));
    assert.equal(first.ok, true, JSON.stringify(first.output.results));
    const mr = first.output.items.find((o) => o.apiVersion === 'compute.gcp.m.upbound.io/v1beta1')!;
    assert.ok(mr, 'emitted');
    assert.equal((mr.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name'], 'web');
    assert.deepStrictEqual(validateAgainstUpbound(mr), []);
    assert.deepStrictEqual((mr.spec as { providerConfigRef: unknown }).providerConfigRef, { kind: 'ProviderConfig', name: 'gcp' });
    assert.equal(first.output.items.some((o) => o.kind === 'ComputeSecurityPolicy'), false);
    assert.ok(first.output.items.some((o) => o.kind === 'BackendConfig'));
    const again = processResourceList(list(first.output.items));
    assert.equal(again.ok, true, JSON.stringify(again.output.results));
    assert.deepStrictEqual(again.output.items, first.output.items);
    // The Nodes are gone (a cluster scaled to zero): Keep reads the node range back from the provider-gcp policy.
    const kept = processResourceList(list(first.output.items.filter((o) => o.kind !== 'Node').concat([{ apiVersion: 'security.example.org/v1alpha1', kind: 'NodeSnapshot', metadata: { name: 'nodes', annotations: { 'config.kubernetes.io/local-config': 'true' } }, nodeCount: 0 } as never])));
    assert.equal(kept.ok, true, JSON.stringify(kept.output.results));
    const keptMr = kept.output.items.find((o) => o.apiVersion === 'compute.gcp.m.upbound.io/v1beta1')!;
    assert.deepStrictEqual(keptMr.spec, mr.spec);
  });

  test('no Input, or a SecurityPolicy as functionConfig: Config Connector as before', () => {
    const out = processResourceList(list([SP, NODE], null));
    assert.equal(out.ok, true);
    assert.ok(out.output.items.some((o) => o.kind === 'ComputeSecurityPolicy'));
  });

  test('a bad Input: an error naming functionConfig.spec.target and the value, the items as they came', () => {
    const out = processResourceList(list([SP, NODE], { ...INPUT, spec: { target: 'pulumi' } }));
    assert.equal(out.ok, false);
    assert.deepStrictEqual(out.output.items, [SP, NODE]);
    const r = out.output.results!.find((x) => x.severity === 'error')!;
    assert.equal(r.field?.path, 'functionConfig.spec.target');
    assert.equal(r.field?.currentValue, 'pulumi');
    assert.match(r.message, /"pulumi" is invalid/);
  });
});
