// RunFunction over real gRPC on loopback, table-driven: each case sends one request to the bundled
// server (started as the image starts it) and diffs the whole decoded response.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { render, type KubeObject } from '../../fn/core';
import { realPrivateNode, realPublicNode, realSpotNode } from '../helpers/nodes';
import { decodeResponse, encodeRequest, serveForSuite, type Obj, type RequestIn } from './harness';
import { nodeRequirements } from '../../fn/crossplane/requirements';
import { resourceName } from '../../fn/crossplane/run-function';

const XR = {
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'web-allowlist', namespace: 'team-web', uid: '6f1d2a8e-0c55-4c3e-9d7a-1f0b8e2c4a11', generation: 3 },
  spec: {
    crossplane: { compositionRef: { name: 'security-policy' } },
    sources: [{ name: 'office', cidrs: ['203.0.113.0/24', '198.51.100.7'] }],
    nodes: [{ name: 'gke-egress', selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-1' } } }],
    attach: { backendConfigs: [{ name: 'web' }] },
  },
  status: { conditions: [{ type: 'Synced', status: 'True' }] },
};
const KEY = 'nodes-gke-egress';
const SELECTOR = { api_version: 'v1', kind: 'Node', match_labels: { labels: { 'cloud.google.com/gke-nodepool': 'pool-1' } } };
const PUBLIC = realPublicNode(); // pool-1, ExternalIP 35.192.99.255
const withSpec = (spec: Obj): Obj => ({ ...XR, spec: { ...XR.spec, ...spec } });

/** An earlier pipeline step's output, which must come back untouched. */
const EARLIER = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'notes' }, data: { replicas: 3, empty: {}, list: [], nothing: null } };
const CONTEXT = { 'apiextensions.crossplane.io/environment': { region: 'us-central1', zones: [] } };

/** What the core renders for these inputs: the adapter must pass it on unchanged. */
function core(xr: Obj, nodes: unknown[], previousPolicy?: unknown) {
  const out = render({ securityPolicy: xr, nodes: nodes as never, previousPolicy });
  assert.ok(out.status, `fixture renders: ${JSON.stringify(out.findings)}`);
  return out as Required<typeof out>;
}
const policyOf = (objs: KubeObject[]) => objs.find((o) => o.kind === 'ComputeSecurityPolicy')!;
const bcOf = (objs: KubeObject[]) => objs.find((o) => o.kind === 'BackendConfig')!;
const res = (resource: unknown, ready?: string): Obj => ({ connection_details: {}, resource, ...(ready ? { ready } : {}) });
const statusXR = (status: Obj, base: Obj = { apiVersion: XR.apiVersion, kind: XR.kind }): Obj => res({ ...base, status });
const ttl = { seconds: 60 };
// status.nodes: what each nodes entry took from which Node (for the operation function).
const PUBLIC_NAME = 'gke-gar-1-pool-1-dce25db1-2mm5';
const RECORDED = [{ name: 'gke-egress', matched: [`${PUBLIC_NAME}=35.192.99.255/32`] }];
const RECORDED_NONE = [{ name: 'gke-egress', matched: [] }];

const ready = (obj: unknown, status = 'True'): Obj => ({ ...(obj as Obj), status: { conditions: [{ type: 'Ready', status, reason: status === 'True' ? 'UpToDate' : 'UpdateFailed', message: status === 'True' ? 'The resource is up to date' : 'quota exceeded' }] } });

const rendered = core(XR, [PUBLIC]);
const POLICY = policyOf(rendered.objects);
const BC = bcOf(rendered.objects);

interface Case { name: string; req: RequestIn; want: Obj }

const cases: Case[] = [
  {
    name: 'first call: asks for the Nodes and returns the desired state as received',
    req: { tag: 'a1', observed: { composite: { resource: XR } }, desired: { resources: { notes: { resource: EARLIER } } }, context: CONTEXT },
    want: {
      meta: { tag: 'a1', ttl },
      desired: { resources: { notes: res(EARLIER) } },
      results: [],
      conditions: [],
      context: CONTEXT,
      requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
    },
  },
  {
    name: 'first call from a Crossplane that advertises required resources: asks through requirements.resources',
    req: { tag: 'a2', capabilities: [1, 2, 3, 4, 5], observed: { composite: { resource: XR } } },
    want: { meta: { tag: 'a2', ttl }, desired: { resources: {} }, results: [], conditions: [], requirements: { extra_resources: {}, resources: { [KEY]: SELECTOR } } },
  },
  {
    name: 'second call (Crossplane 1, extra_resources): policy with the node IP, attachment, status, earlier resources and context kept',
    req: {
      tag: 'b1',
      observed: { composite: { resource: XR } },
      desired: { resources: { notes: { resource: EARLIER } } },
      context: CONTEXT,
      extra_resources: { [KEY]: [PUBLIC, realPrivateNode(), realSpotNode()] },
    },
    want: {
      meta: { tag: 'b1', ttl },
      desired: {
        composite: statusXR({ policyName: 'web-allowlist', ruleCount: 3, rangeCount: 3, nodeAddressCount: 1, nodes: RECORDED }),
        resources: { notes: res(EARLIER), 'security-policy': res(POLICY), 'backendconfig.team-web.web': res(BC) },
      },
      results: [],
      conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Creating', message: 'ComputeSecurityPolicy web-allowlist is not observed yet' }],
      context: CONTEXT,
      requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
    },
  },
  {
    name: 'second call (Crossplane 2, required_resources): same composition, asked through requirements.resources',
    req: { tag: 'b2', capabilities: [1, 2], observed: { composite: { resource: XR } }, required_resources: { [KEY]: [PUBLIC] } },
    want: {
      meta: { tag: 'b2', ttl },
      desired: {
        composite: statusXR({ policyName: 'web-allowlist', ruleCount: 3, rangeCount: 3, nodeAddressCount: 1, nodes: RECORDED }),
        resources: { 'security-policy': res(POLICY), 'backendconfig.team-web.web': res(BC) },
      },
      results: [],
      conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Creating', message: 'ComputeSecurityPolicy web-allowlist is not observed yet' }],
      requirements: { extra_resources: {}, resources: { [KEY]: SELECTOR } },
    },
  },
  {
    name: 'readiness: observed policy Ready=True with the desired rules, attachment observed -> READY_TRUE and PolicySynced True',
    req: {
      tag: 'c1',
      observed: { composite: { resource: XR }, resources: { 'security-policy': { resource: ready(POLICY) }, 'backendconfig.team-web.web': { resource: BC } } },
      extra_resources: { [KEY]: [PUBLIC] },
    },
    want: {
      meta: { tag: 'c1', ttl },
      desired: {
        composite: statusXR({ policyName: 'web-allowlist', ruleCount: 3, rangeCount: 3, nodeAddressCount: 1, nodes: RECORDED }),
        resources: { 'security-policy': res(POLICY, 'READY_TRUE'), 'backendconfig.team-web.web': res(BC, 'READY_TRUE') },
      },
      results: [],
      conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_TRUE', reason: 'Synced', message: 'Cloud Armor policy web-allowlist has the 3 desired rules' }],
      requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
    },
  },
  {
    name: 'readiness: observed policy Ready=False -> not ready, PolicySynced False with the Config Connector message',
    req: {
      tag: 'c2',
      observed: { composite: { resource: XR }, resources: { 'security-policy': { resource: ready(POLICY, 'False') } } },
      extra_resources: { [KEY]: [PUBLIC] },
    },
    want: {
      meta: { tag: 'c2', ttl },
      desired: {
        composite: statusXR({ policyName: 'web-allowlist', ruleCount: 3, rangeCount: 3, nodeAddressCount: 1, nodes: RECORDED }),
        resources: { 'security-policy': res(POLICY), 'backendconfig.team-web.web': res(BC) },
      },
      results: [],
      conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Reconciling', message: 'ComputeSecurityPolicy web-allowlist is not Ready: quota exceeded' }],
      requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
    },
  },
  (() => {
    // The observed policy still has last hour's node address: rules differ until Config Connector applies.
    const old = core(XR, [{ ...PUBLIC, status: { ...PUBLIC.status, addresses: [{ type: 'ExternalIP', address: '35.192.99.254' }] } }]);
    return {
      name: 'a Node address changed: the policy follows, PolicySynced False until the new rules are observed',
      req: { tag: 'c3', observed: { composite: { resource: XR }, resources: { 'security-policy': { resource: ready(policyOf(old.objects)) } } }, extra_resources: { [KEY]: [PUBLIC] } },
      want: {
        meta: { tag: 'c3', ttl },
        desired: {
          composite: statusXR({ policyName: 'web-allowlist', ruleCount: 3, rangeCount: 3, nodeAddressCount: 1, nodes: RECORDED }),
          resources: { 'security-policy': res(POLICY, 'READY_TRUE'), 'backendconfig.team-web.web': res(BC) },
        },
        results: [],
        conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Updating', message: 'ComputeSecurityPolicy web-allowlist: the observed rules differ from the desired ones; waiting for them to be applied' }],
        requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
      },
    };
  })(),
  (() => {
    const xr = withSpec({ attach: undefined });
    const out = core(xr, []);
    return {
      name: 'a supplied empty set is "no Nodes" (whenNoNodes: Remove): only the static rules, with the core warning',
      req: { tag: 'd1', observed: { composite: { resource: xr } }, extra_resources: { [KEY]: [] } },
      want: {
        meta: { tag: 'd1', ttl },
        desired: { composite: statusXR({ policyName: 'web-allowlist', ruleCount: 2, rangeCount: 2, nodeAddressCount: 0, nodes: RECORDED_NONE }), resources: { 'security-policy': res(policyOf(out.objects)) } },
        results: [{ severity: 'SEVERITY_WARNING', message: 'spec.nodes[0]: nodes entry gke-egress matched no Ready Node; it contributes no rule (whenNoNodes: Remove)' }],
        conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Creating', message: 'ComputeSecurityPolicy web-allowlist is not observed yet' }],
        requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
      },
    };
  })(),
  (() => {
    const xr = withSpec({ attach: undefined, nodes: [{ ...XR.spec.nodes[0], whenNoNodes: 'Keep' }] });
    const previous = policyOf(core(xr, [PUBLIC]).objects);
    return {
      name: 'no Nodes with whenNoNodes: Keep: the observed policy\'s node ranges are kept',
      req: { tag: 'd2', observed: { composite: { resource: xr }, resources: { 'security-policy': { resource: ready(previous) } } }, extra_resources: { [KEY]: [] } },
      want: {
        meta: { tag: 'd2', ttl },
        desired: { composite: statusXR({ policyName: 'web-allowlist', ruleCount: 3, rangeCount: 3, nodeAddressCount: 1, nodes: RECORDED_NONE }), resources: { 'security-policy': res(previous, 'READY_TRUE') } },
        results: [{ severity: 'SEVERITY_WARNING', message: 'spec.nodes[0]: nodes entry gke-egress matched no Ready Node; keeping the 1 range(s) of the existing policy (whenNoNodes: Keep): 35.192.99.255/32' }],
        conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_TRUE', reason: 'Synced', message: 'Cloud Armor policy web-allowlist has the 3 desired rules' }],
        requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
      },
    };
  })(),
  {
    name: 'invalid spec: a Fatal result naming the field path and the value, no requirements, nothing composed',
    req: {
      tag: 'e1',
      observed: { composite: { resource: withSpec({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24', '10.0.0.300'] }] }) } },
      desired: { resources: { notes: { resource: EARLIER } } },
      extra_resources: { [KEY]: [PUBLIC] },
    },
    want: {
      meta: { tag: 'e1', ttl },
      desired: { resources: { notes: res(EARLIER) } },
      results: [{ severity: 'SEVERITY_FATAL', reason: 'InvalidSpec', message: failure(withSpec({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24', '10.0.0.300'] }] })) }],
      conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'InvalidSpec', message: failure(withSpec({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24', '10.0.0.300'] }] })) }],
      requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
    },
  },
  {
    name: 'an error no Node can cure is Fatal on the first call, before the Nodes are fetched',
    req: { tag: 'e1b', observed: { composite: { resource: withSpec({ sources: [{ name: 'office', cidrs: ['0.0.0.0/0'] }] }) } } },
    want: {
      meta: { tag: 'e1b', ttl },
      desired: { resources: {} },
      results: [{ severity: 'SEVERITY_FATAL', reason: 'InvalidSpec', message: failure(withSpec({ sources: [{ name: 'office', cidrs: ['0.0.0.0/0'] }] })) }],
      conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'InvalidSpec', message: failure(withSpec({ sources: [{ name: 'office', cidrs: ['0.0.0.0/0'] }] })) }],
      requirements: { extra_resources: { [KEY]: SELECTOR }, resources: {} },
    },
  },
  {
    name: 'schema error: unknown enum value is Fatal before any Node is asked for',
    req: { tag: 'e2', observed: { composite: { resource: withSpec({ defaultAction: 'deny(401)' }) } } },
    want: {
      meta: { tag: 'e2', ttl },
      desired: { resources: {} },
      results: [{ severity: 'SEVERITY_FATAL', reason: 'InvalidSpec', message: failure(withSpec({ defaultAction: 'deny(401)' })) }],
      conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'InvalidSpec', message: failure(withSpec({ defaultAction: 'deny(401)' })) }],
    },
  },
  {
    name: 'no observed composite: Fatal',
    req: { tag: 'e3', desired: { resources: { notes: { resource: EARLIER } } } },
    want: {
      meta: { tag: 'e3', ttl },
      desired: { resources: { notes: res(EARLIER) } },
      results: [{ severity: 'SEVERITY_FATAL', reason: 'InvalidRequest', message: 'the request has no observed composite resource (observed.composite.resource)' }],
      conditions: [],
    },
  },
  {
    name: 'a composite that is not a SecurityPolicy: Fatal',
    req: { tag: 'e4', observed: { composite: { resource: { apiVersion: 'example.org/v1', kind: 'XBucket', metadata: { name: 'b' } } } } },
    want: {
      meta: { tag: 'e4', ttl },
      desired: { resources: {} },
      results: [{ severity: 'SEVERITY_FATAL', reason: 'InvalidRequest', message: 'the observed composite resource is a example.org/v1 XBucket; this function composes a SecurityPolicy' }],
      conditions: [],
    },
  },
  (() => {
    const xr = withSpec({ nodes: undefined, attach: undefined });
    return {
      name: 'no nodes entries: composes in one call, asks for nothing; the desired XR of earlier steps is kept and extended',
      req: {
        tag: 'f1',
        observed: { composite: { resource: xr } },
        desired: { composite: { resource: { apiVersion: XR.apiVersion, kind: XR.kind, status: { note: 'from step 1', n: 0 } }, connection_details: { token: Buffer.from('s3cr3t') } } },
      },
      want: {
        meta: { tag: 'f1', ttl },
        desired: {
          composite: { connection_details: { token: Buffer.from('s3cr3t').toString('base64') }, resource: { apiVersion: XR.apiVersion, kind: XR.kind, status: { note: 'from step 1', n: 0, policyName: 'web-allowlist', ruleCount: 2, rangeCount: 2, nodeAddressCount: 0, nodes: [] } } },
          resources: { 'security-policy': res(policyOf(core(xr, []).objects)) },
        },
        results: [],
        conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Creating', message: 'ComputeSecurityPolicy web-allowlist is not observed yet' }],
      },
    };
  })(),
  (() => {
    const xr = withSpec({
      attach: undefined,
      nodes: [
        { name: 'pool-a', selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-1' } } },
        { name: 'pool-a-internal', selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-1' } }, addressTypes: ['InternalIP'] },
        { name: 'all', selector: { matchExpressions: [{ key: 'cloud.google.com/gke-spot', operator: 'Exists' }] } },
      ],
    });
    const nodes = [PUBLIC, realSpotNode(), realPrivateNode()];
    return {
      name: 'entries with the same matchLabels share one requirement; an empty label set asks for every Node; Nodes are merged by name',
      req: { tag: 'g1', observed: { composite: { resource: xr } }, extra_resources: { 'nodes-pool-a': [PUBLIC], 'nodes-all': nodes } },
      want: {
        meta: { tag: 'g1', ttl },
        desired: {
          composite: statusXR({
            ...core(xr, nodes).status,
            nodes: [
              { name: 'pool-a', matched: [`${PUBLIC_NAME}=35.192.99.255/32`] },
              { name: 'pool-a-internal', matched: [`${PUBLIC_NAME}=10.128.0.4/32`] },
              { name: 'all', matched: ['gke-camunda-benchmar-n2-standard-4-v2-d2beeabd-qtvs=34.79.110.181/32'] },
            ],
          }), resources: { 'security-policy': res(policyOf(core(xr, nodes).objects)) } },
        results: core(xr, nodes).findings.map((f) => ({ severity: 'SEVERITY_WARNING', message: `${f.field}: ${f.message}` })),
        conditions: [{ type: 'PolicySynced', status: 'STATUS_CONDITION_FALSE', reason: 'Creating', message: 'ComputeSecurityPolicy web-allowlist is not observed yet' }],
        requirements: {
          extra_resources: {
            'nodes-pool-a': SELECTOR,
            'nodes-all': { api_version: 'v1', kind: 'Node', match_labels: { labels: {} } },
          },
          resources: {},
        },
      },
    };
  })(),
];

function failure(xr: Obj): string {
  const out = render({ securityPolicy: xr, nodes: [PUBLIC] as never });
  const e = out.findings.find((f) => f.severity === 'error');
  assert.ok(e, 'fixture is invalid');
  return `${e.field}: ${e.message}`;
}

describe('RunFunction over gRPC (insecure, loopback)', () => {
  const suite = serveForSuite();

  for (const c of cases) {
    test(c.name, async () => {
      assert.deepStrictEqual(await suite.client.run(c.req), c.want);
    });
  }

  test('the node IP is in the policy after the handshake, and the field path of a bad CIDR is named', async () => {
    const first = await suite.client.run({ tag: 'h', observed: { composite: { resource: XR } } });
    assert.equal(first.desired && (first.desired as Obj).resources && Object.keys((first.desired as { resources: Obj }).resources).length, 0);
    const second = await suite.client.run({ tag: 'h', observed: { composite: { resource: XR } }, extra_resources: { [KEY]: [PUBLIC] } });
    assert.match(JSON.stringify(second), /"35\.192\.99\.255\/32"/);
    assert.deepStrictEqual(second.requirements, first.requirements, 'the same requirements on both calls, so Crossplane stops iterating');
    const bad = await suite.client.run({ tag: 'i', observed: { composite: { resource: withSpec({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24', '10.0.0.300'] }] }) } } });
    assert.match((bad.results as Array<{ message: string }>)[0]!.message, /^spec\.sources\[0\]\.cidrs\[1\]: "10\.0\.0\.300"/);
  });

  test('the v1beta1 service name (Crossplane 1.14-1.16) answers too', async () => {
    const rsp = decodeResponse(await suite.client.raw(encodeRequest({ tag: 'v1beta1', observed: { composite: { resource: XR } } }), 'apiextensions.fn.proto.v1beta1.FunctionRunnerService'));
    assert.deepStrictEqual(rsp.requirements, { extra_resources: { [KEY]: SELECTOR }, resources: {} });
  });
});

test('composition resource names of attachments cannot collide across namespaces and names', () => {
  const bc = (namespace: string, name: string) => ({ apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name, namespace } });
  assert.notEqual(resourceName(bc('a-b', 'c')), resourceName(bc('a', 'b-c')));
  assert.equal(resourceName(bc('team-web', 'web')), 'backendconfig.team-web.web');
});

test('requirement keys do not depend on the order of spec.nodes', () => {
  const a = { name: 'zeta', selector: { matchLabels: { pool: 'x' } } };
  const b = { name: 'alpha', selector: { matchLabels: { pool: 'x' } } };
  const c = { name: 'mid', selector: { matchLabels: { pool: 'y' } } };
  const keys = (entries: Array<typeof a>) => [...nodeRequirements(entries).keys()];
  assert.deepEqual(keys([a, b, c]), ['nodes-alpha', 'nodes-mid']);
  assert.deepEqual(keys([c, a, b]), ['nodes-alpha', 'nodes-mid']);
});
