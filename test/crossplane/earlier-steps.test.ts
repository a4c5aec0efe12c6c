// What an earlier pipeline step already desired, over real gRPC: an attachment of the same object is
// patched (only the security policy field; its other fields, connection details and readiness stay
// its own); anything else under a composition resource name this function uses is a conflict, reported
// as Fatal with the earlier step's resources returned untouched. And the composition resource names of
// attachments never collide, so no attachment is dropped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { render, type KubeObject } from '../../fn/core';
import { resourceName } from '../../fn/crossplane/run-function';
import { realPublicNode } from '../helpers/nodes';
import { serveForSuite, type Obj, type RequestIn, type ResourceIn } from './harness';

const XR = {
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'web-allowlist', namespace: 'team-web' },
  spec: {
    sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }],
    attach: { backendConfigs: [{ name: 'web' }], gcpBackendPolicies: [{ name: 'store', targetRef: { group: '', kind: 'Service', name: 'store' } }] },
  },
};
const BC_NAME = 'backendconfig.team-web.web';
const GBP_NAME = 'gcpbackendpolicy.team-web.store';
const secret = Buffer.from('s3cr3t');

const generated = render({ securityPolicy: XR, nodes: [] });
const POLICY = generated.objects.find((o) => o.kind === 'ComputeSecurityPolicy')!;

/** A BackendConfig an earlier step composed for the same Service: its own timeout and CDN settings. */
const earlierBackendConfig = (spec: Obj = {}): Obj => ({
  apiVersion: 'cloud.google.com/v1',
  kind: 'BackendConfig',
  metadata: { name: 'web', namespace: 'team-web', labels: { from: 'step-1' } },
  spec: { timeoutSec: 40, cdn: { enabled: true, cachePolicy: { includeHost: true } }, ...spec },
});

type Rsp = {
  desired: { resources: Record<string, { resource?: Obj; connection_details?: Record<string, string>; ready?: string }> };
  results?: Array<{ severity: string; message: string; reason?: string }>;
  conditions?: Array<{ type: string; status: string; reason: string; message?: string }>;
};

function request(resources: Record<string, ResourceIn>, xr: Obj = XR): RequestIn {
  return { tag: 't', observed: { composite: { resource: xr } }, desired: { resources } };
}

describe('resources an earlier pipeline step desired', () => {
  const suite = serveForSuite();
  const run = async (req: RequestIn) => (await suite.client.run(req)) as unknown as Rsp;

  test('the same BackendConfig: only spec.securityPolicy.name is set; its other fields, connection details and readiness stay', async () => {
    const rsp = await run(request({ [BC_NAME]: { resource: earlierBackendConfig(), connection_details: { token: secret }, ready: 1 } }));
    assert.deepStrictEqual(rsp.results ?? [], []);
    assert.deepStrictEqual(rsp.desired.resources[BC_NAME], {
      resource: earlierBackendConfig({ securityPolicy: { name: 'web-allowlist' } }),
      connection_details: { token: secret.toString('base64') },
      ready: 'READY_TRUE',
    });
    // Nothing of the BackendConfig is carried onto the policy.
    assert.deepStrictEqual(rsp.desired.resources['security-policy'], { connection_details: {}, resource: POLICY as unknown as Obj });
  });

  test('the same GCPBackendPolicy: only spec.default.securityPolicy is set; its other defaults and its targetRef stay', async () => {
    const earlier = {
      apiVersion: 'networking.gke.io/v1',
      kind: 'GCPBackendPolicy',
      metadata: { name: 'store', namespace: 'team-web' },
      spec: { default: { timeoutSec: 50, logging: { enabled: true } }, targetRef: { group: '', kind: 'Service', name: 'store' } },
    };
    const rsp = await run(request({ [GBP_NAME]: { resource: earlier } }));
    assert.deepStrictEqual(rsp.results ?? [], []);
    assert.deepStrictEqual(rsp.desired.resources[GBP_NAME]!.resource, {
      ...earlier,
      spec: { default: { timeoutSec: 50, logging: { enabled: true }, securityPolicy: 'web-allowlist' }, targetRef: earlier.spec.targetRef },
    });
  });

  test('an earlier step pointed the BackendConfig at another policy: it is repointed, with a warning naming both', async () => {
    const rsp = await run(request({ [BC_NAME]: { resource: earlierBackendConfig({ securityPolicy: { name: 'legacy-waf' } }) } }));
    assert.deepStrictEqual(rsp.desired.resources[BC_NAME]!.resource, earlierBackendConfig({ securityPolicy: { name: 'web-allowlist' } }));
    const warnings = (rsp.results ?? []).filter((r) => r.severity === 'SEVERITY_WARNING');
    assert.equal(warnings.length, 1, JSON.stringify(rsp.results));
    assert.match(warnings[0]!.message, /BackendConfig team-web\/web/);
    assert.match(warnings[0]!.message, /"legacy-waf"/);
    assert.match(warnings[0]!.message, /"web-allowlist"/);
  });

  const conflicts: Array<{ name: string; resources: Record<string, ResourceIn>; at: string }> = [
    {
      name: 'a BackendConfig under the policy\'s resource name',
      resources: { 'security-policy': { resource: earlierBackendConfig(), connection_details: { token: secret }, ready: 1 } },
      at: 'security-policy',
    },
    {
      name: 'another ComputeSecurityPolicy under the policy\'s resource name',
      resources: { 'security-policy': { resource: { ...POLICY, spec: { ...POLICY.spec, rule: [{ action: 'deny(403)', priority: 10, match: { expr: { expression: "origin.region_code == 'XX'" } } }] } } } },
      at: 'security-policy',
    },
    {
      name: 'a BackendConfig of another name under an attachment\'s resource name',
      resources: { [BC_NAME]: { resource: { ...earlierBackendConfig(), metadata: { name: 'api', namespace: 'team-web' } } } },
      at: BC_NAME,
    },
    {
      name: 'a ConfigMap under an attachment\'s resource name',
      resources: { [BC_NAME]: { resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'team-web' }, data: { a: 'b' } } } },
      at: BC_NAME,
    },
  ];
  for (const c of conflicts) {
    test(`${c.name}: Fatal naming the resource name, and the earlier step's resources come back untouched`, async () => {
      const rsp = await run(request(c.resources));
      const fatal = (rsp.results ?? []).filter((r) => r.severity === 'SEVERITY_FATAL');
      assert.equal(fatal.length, 1, JSON.stringify(rsp.results));
      assert.match(fatal[0]!.message, new RegExp(`"${c.at.replace(/\./g, '\\.')}"`));
      assert.match(fatal[0]!.message, /earlier pipeline step/);
      // A composite that is not a SecurityPolicy is Fatal before anything is composed: the reference echo.
      const echo = await run({ tag: 't', observed: { composite: { resource: { apiVersion: 'example.org/v1', kind: 'NotOurs' } } }, desired: { resources: c.resources } });
      assert.deepStrictEqual(rsp.desired.resources, echo.desired.resources, 'the desired resources are returned as they came');
      assert.ok(rsp.conditions?.some((x) => x.type === 'PolicySynced' && x.status === 'STATUS_CONDITION_FALSE'), JSON.stringify(rsp.conditions));
    });
  }

  test('the very policy this function generates, desired by an earlier step: no conflict', async () => {
    const rsp = await run(request({ 'security-policy': { resource: POLICY } }));
    assert.deepStrictEqual((rsp.results ?? []).filter((r) => r.severity === 'SEVERITY_FATAL'), []);
    assert.deepStrictEqual(rsp.desired.resources['security-policy'], { connection_details: {}, resource: POLICY as unknown as Obj });
  });

  test('attachments {a.b in c} and {b in c.a}: neither is dropped silently', async () => {
    const xr = { ...XR, spec: { ...XR.spec, attach: { backendConfigs: [{ name: 'a.b', namespace: 'c' }, { name: 'b', namespace: 'c.a' }] } } };
    const rsp = await run(request({}, xr));
    const fatal = (rsp.results ?? []).filter((r) => r.severity === 'SEVERITY_FATAL');
    if (fatal.length > 0) return; // rejected with a reason (an invalid namespace): not silent
    const bcs = Object.values(rsp.desired.resources).map((r) => r.resource!).filter((r) => r.kind === 'BackendConfig');
    assert.deepStrictEqual(bcs.map((r) => `${(r.metadata as Obj).namespace}/${(r.metadata as Obj).name}`).sort(), ['c.a/b', 'c/a.b']);
  });
});

test('composition resource names of attachments are injective, and unchanged for valid Kubernetes names', () => {
  const name = fc.stringMatching(/^[a-z0-9.%-]{0,12}$/);
  const object = fc.record({ kind: fc.constantFrom('BackendConfig', 'GCPBackendPolicy'), namespace: fc.option(name, { nil: undefined }), name });
  const kube = (o: { kind: string; namespace?: string; name: string }): KubeObject =>
    ({ apiVersion: 'x/v1', kind: o.kind, metadata: o.namespace === undefined ? { name: o.name } : { name: o.name, namespace: o.namespace } });
  const same = (a: { kind: string; namespace?: string; name: string }, b: typeof a) => a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name;
  const check = (a: { kind: string; namespace?: string; name: string }, b: typeof a) =>
    assert.equal(resourceName(kube(a)) === resourceName(kube(b)), same(a, b), `${JSON.stringify(a)} / ${JSON.stringify(b)}`);
  fc.assert(fc.property(object, object, (a, b) => check(a, b)), { seed: 813, numRuns: 5_000 });
  // The pairs most likely to collide: the same dotted labels split differently between namespace and name.
  const split = fc.tuple(fc.array(fc.stringMatching(/^[a-z0-9%-]{0,3}$/), { minLength: 2, maxLength: 5 }), fc.nat(), fc.nat(), fc.constantFrom('BackendConfig', 'GCPBackendPolicy'));
  fc.assert(fc.property(split, ([labels, i, j, kind]) => {
    const at = (k: number) => ({ kind, namespace: labels.slice(0, 1 + (k % (labels.length - 1))).join('.'), name: labels.slice(1 + (k % (labels.length - 1))).join('.') });
    check(at(i), at(j));
  }), { seed: 813, numRuns: 5_000 });
  // Names already in use by compositions stay as they are (renaming one would recreate the resource).
  assert.equal(resourceName(kube({ kind: 'BackendConfig', namespace: 'team-web', name: 'web.v2' })), 'backendconfig.team-web.web.v2');
  assert.equal(resourceName(kube({ kind: 'GCPBackendPolicy', namespace: 'team-web', name: 'store' })), 'gcpbackendpolicy.team-web.store');
});
