// The function as an operation function, over real gRPC, table-driven: a WatchOperation on Nodes sends
// the changed Node (ops.crossplane.io/watched-resource) and the SecurityPolicy XRs (securitypolicies);
// the response sets crossplane.io/reconcile-requested-at on exactly the XRs the change concerns.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromStruct, type PbStruct } from '../../fn/crossplane/struct';
import { makeNode } from '../helpers/nodes';
import { serveForSuite, type Obj, type RequestIn } from './harness';

const WATCHED = 'ops.crossplane.io/watched-resource';
const POOL = 'cloud.google.com/gke-nodepool';

function node(name: string, pool: string, externalIP: string, opts: { ready?: boolean; rv?: string; uid?: string } = {}): Obj {
  const n = makeNode({ name, pool, ready: opts.ready ?? true, internalIP: '10.0.0.9', externalIP, imageCount: 0, seed: 1 }) as unknown as Obj;
  const metadata = { ...(n.metadata as Obj), resourceVersion: opts.rv ?? '100', uid: opts.uid ?? `uid-${name}` };
  return { apiVersion: 'v1', kind: 'Node', ...n, metadata };
}
const deleted = (n: Obj): Obj => ({ ...n, metadata: { ...(n.metadata as Obj), resourceVersion: 'ops.crossplane.io/synthetic-deleted' } });

function xr(name: string, namespace: string, nodes: Obj[], recorded?: unknown): Obj {
  return {
    apiVersion: 'security.example.org/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: '7' },
    spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes },
    ...(recorded === undefined ? {} : { status: { policyName: name, nodes: recorded } }),
  };
}
const byPool = (entry: string, pool: string): Obj => ({ name: entry, selector: { matchLabels: { [POOL]: pool } } });

// Two XRs as the composition left them: team-a's pool-a entry took n1's address, team-b's took n2's.
const XR_A = xr('web', 'team-a', [byPool('pool-a', 'a')], [{ name: 'pool-a', matched: ['n1=34.0.0.1/32'] }]);
const XR_B = xr('api', 'team-b', [byPool('pool-b', 'b')], [{ name: 'pool-b', matched: ['n2=34.0.0.2/32'] }]);
const XR_STATIC = xr('static', 'team-c', [], []);
const FLEET = [XR_A, XR_B, XR_STATIC];

interface Case { name: string; watched: Obj; xrs?: Obj[]; want: string[]; token?: string }

const cases: Case[] = [
  { name: 'selector match: a new Node in pool a', watched: node('n3', 'a', '34.0.0.3', { rv: '201' }), want: ['team-a/web'], token: 'n3@201' },
  { name: 'selector miss: a new Node in pool c concerns nobody', watched: node('n9', 'c', '34.0.0.9'), want: [] },
  { name: 'a heartbeat (nothing the policy reads changed) requests nothing', watched: node('n1', 'a', '34.0.0.1', { rv: '202' }), want: [] },
  { name: 'a new address of a matched Node', watched: node('n1', 'a', '34.0.0.11', { rv: '203' }), want: ['team-a/web'] },
  { name: 'a matched Node turns NotReady', watched: node('n1', 'a', '34.0.0.1', { ready: false }), want: ['team-a/web'] },
  { name: 'a label change moves n1 from pool a to pool b: both XRs (old labels and new)', watched: node('n1', 'b', '34.0.0.1', { rv: '204' }), want: ['team-a/web', 'team-b/api'] },
  {
    name: 'a label change moves a Node between two entries of one XR: that XR, once',
    watched: node('n1', 'b', '34.0.0.1', { rv: '205' }),
    xrs: [xr('both', 'team-i', [byPool('pool-a', 'a'), byPool('pool-b', 'b')], [{ name: 'pool-a', matched: ['n1=34.0.0.1/32'] }, { name: 'pool-b', matched: [] }]), XR_STATIC],
    want: ['team-i/both'],
  },
  { name: 'a deleted Node: the XR that recorded it', watched: deleted(node('n2', 'b', '34.0.0.2', { uid: 'u-2' })), want: ['team-b/api'], token: 'n2@deleted:u-2' },
  { name: 'a deleted Node nobody recorded', watched: deleted(node('n9', 'c', '34.0.0.9')), want: [] },
  {
    name: 'an XR with no record yet (never rendered by this version) is asked whatever the Node',
    watched: node('n9', 'c', '34.0.0.9'),
    xrs: [...FLEET, xr('new', 'team-d', [byPool('pool-x', 'x')])],
    want: ['team-d/new'],
  },
  {
    name: 'an XR whose record was truncated (too many Nodes) is asked',
    watched: node('n9', 'c', '34.0.0.9'),
    xrs: [xr('big', 'team-e', [byPool('pool-a', 'a')], [{ name: 'pool-a', truncated: true }])],
    want: ['team-e/big'],
  },
  {
    name: 'matchExpressions and includeNotReady are the entry\'s, as in the composition',
    watched: node('n5', 'spot', '34.0.0.5', { ready: false }),
    xrs: [
      xr('notready-ok', 'team-f', [{ name: 'spot', selector: { matchExpressions: [{ key: POOL, operator: 'In', values: ['spot'] }] }, includeNotReady: true }], [{ name: 'spot', matched: [] }]),
      xr('ready-only', 'team-g', [{ name: 'spot', selector: { matchExpressions: [{ key: POOL, operator: 'In', values: ['spot'] }] } }], [{ name: 'spot', matched: ['n5=34.0.0.5/32'] }]),
      xr('other-pools', 'team-h', [{ name: 'not-spot', selector: { matchExpressions: [{ key: POOL, operator: 'NotIn', values: ['spot'] }] } }], [{ name: 'not-spot', matched: [] }]),
    ],
    want: ['team-f/notready-ok', 'team-g/ready-only'],
  },
];

describe('operation function: WatchOperation on Nodes', () => {
  const suite = serveForSuite();

  for (const c of cases) {
    test(c.name, async () => {
      const req: RequestIn = { tag: 'op', required_resources: { [WATCHED]: [c.watched], securitypolicies: c.xrs ?? FLEET } };
      const rsp = await suite.client.run(req);
      assert.deepStrictEqual(rsp.results ?? [], []);
      const resources = ((rsp.desired as { resources?: Record<string, { resource: Obj }> }).resources) ?? {};
      const requested = Object.values(resources).map((r) => {
        const m = r.resource.metadata as { name: string; namespace: string; uid: string; annotations: Record<string, string> };
        assert.deepStrictEqual(Object.keys(r.resource).sort(), ['apiVersion', 'kind', 'metadata'], 'a partial XR: only the annotation is applied');
        assert.equal(m.uid, `uid-${m.name}`, 'the uid guards against recreating a deleted XR');
        const meta = c.watched.metadata as { name: string; resourceVersion: string };
        assert.deepStrictEqual(m.annotations, { 'crossplane.io/reconcile-requested-at': c.token ?? `${meta.name}@${meta.resourceVersion}` });
        return `${m.namespace}/${m.name}`;
      }).sort();
      assert.deepStrictEqual(requested, c.want);
      const output = fromStruct(rsp.output as PbStruct) as { reconcileRequested: string[]; node: string };
      assert.deepStrictEqual(output.reconcileRequested, c.want);
      assert.equal(output.node, (c.watched.metadata as { name: string }).name);
      assert.equal(rsp.requirements, undefined);
    });
  }

  test('without the XRs (the step declared none) the function asks for every SecurityPolicy, and changes nothing yet', async () => {
    const rsp = await suite.client.run({ tag: 'op', required_resources: { [WATCHED]: [node('n1', 'a', '34.0.0.1')] } });
    assert.deepStrictEqual(rsp.requirements, { extra_resources: {}, resources: { securitypolicies: { api_version: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', match_labels: { labels: {} } } } });
    assert.deepStrictEqual((rsp.desired as { resources?: object }).resources ?? {}, {});
  });

  test('a watched resource that is not a Node is Fatal, naming what was watched', async () => {
    const rsp = await suite.client.run({ tag: 'op', required_resources: { [WATCHED]: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }], securitypolicies: FLEET } });
    assert.deepStrictEqual(rsp.results, [{ severity: 'SEVERITY_FATAL', reason: 'InvalidRequest', message: 'the watched resource is a v1 ConfigMap; watch apiVersion v1, kind Node' }]);
  });

  test('an invalid XR is skipped with a warning; the others are still handled', async () => {
    const bad = { ...XR_A, metadata: { ...(XR_A.metadata as Obj), name: 'broken' }, spec: { nodes: [{ name: 'Bad Name' }] } };
    const rsp = await suite.client.run({ tag: 'op', required_resources: { [WATCHED]: [node('n3', 'a', '34.0.0.3')], securitypolicies: [bad, XR_A] } });
    assert.deepStrictEqual(rsp.results, [{ severity: 'SEVERITY_WARNING', message: 'SecurityPolicy team-a/broken is invalid and was skipped (its own reconcile reports why)' }]);
    assert.deepStrictEqual(Object.keys((rsp.desired as { resources: object }).resources), ['reconcile.team-a.web']);
  });
});

describe('operation function: the step input', () => {
  const suite = serveForSuite();

  test('is validated as in a Composition: a bad one is Fatal naming the field, nothing is requested', async () => {
    const rsp = await suite.client.run({
      tag: 'op',
      input: { apiVersion: 'security.example.org/v1alpha1', kind: 'Input', spec: { target: 'cdk' } },
      required_resources: { [WATCHED]: [node('n3', 'a', '34.0.0.3')], securitypolicies: FLEET },
    });
    assert.equal((rsp.results as Obj[]).length, 1);
    assert.equal((rsp.results as Obj[])[0]!.severity, 'SEVERITY_FATAL');
    assert.match(String((rsp.results as Obj[])[0]!.message), /^input\.spec\.target: "cdk" is invalid/);
    assert.deepStrictEqual((rsp.desired as { resources?: object }).resources ?? {}, {});
  });
});
