// examples/crossplane per target and the WatchOperation, run through the function as Crossplane
// would: composition-upbound.yaml (static `nodes` requirement: one call) gives a provider-gcp
// SecurityPolicy valid against the provider's CRD with the rules composition.yaml gives; the
// WatchOperation's step, fed a changed example Node and the XR as the composition left it, requests a
// reconcile of exactly that XR; the RBAC grants what both need.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { validateAgainstKcc } from '../helpers/crd';
import { validateAgainstUpbound } from '../helpers/upbound-crd';
import { REPO, serveForSuite, type Obj } from './harness';

const DIR = path.join(REPO, 'examples/crossplane');
const load = (f: string) => yaml.load(fs.readFileSync(path.join(DIR, f), 'utf8')) as Obj;
const NODES = fs.readdirSync(path.join(DIR, 'required-resources')).filter((f) => f.endsWith('.yaml')).sort()
  .map((f) => load(path.join('required-resources', f)) as Obj & { metadata: { name: string; labels?: Record<string, string> } });

interface Requirement { requirementName: string; apiVersion: string; kind: string; matchLabels?: Record<string, string> }
interface Step { step: string; functionRef: { name: string }; input?: Obj; requirements?: { requiredResources?: Requirement[] } }
type Resources = Record<string, { resource: Obj }>;

/** What Crossplane fetches for a static requirement: the example objects of that kind with those labels. */
function fetchStatic(req: Requirement, objects: Array<Obj & { metadata: { labels?: Record<string, string> } }>): Obj[] {
  return objects.filter((o) => o.apiVersion === req.apiVersion && o.kind === req.kind
    && Object.entries(req.matchLabels ?? {}).every(([k, v]) => o.metadata.labels?.[k] === v));
}
const rulesOf = (policy: Obj) => ((policy.spec as Obj).rule ?? ((policy.spec as Obj).forProvider as Obj).rule);

describe('examples/crossplane: a Composition per target, and the WatchOperation', () => {
  const suite = serveForSuite();
  const functions = load('functions.yaml') as { metadata: { name: string } };
  const xrd = load('xrd.yaml') as { spec: { group: string; names: { kind: string }; versions: Array<{ name: string }> } };
  const xr = load('xr.yaml');

  async function compose(file: string): Promise<{ rsp: Obj; calls: number; step: Step }> {
    const composition = load(file) as { spec: { compositeTypeRef: { apiVersion: string; kind: string }; mode: string; pipeline: Step[] } };
    assert.equal(composition.spec.mode, 'Pipeline');
    assert.deepStrictEqual(composition.spec.compositeTypeRef, { apiVersion: `${xrd.spec.group}/${xrd.spec.versions[0]!.name}`, kind: xrd.spec.names.kind });
    const step = composition.spec.pipeline[0]!;
    assert.equal(step.functionRef.name, functions.metadata.name);
    // Crossplane's loop: static requirements first, then whatever the function asks for, until it asks for nothing new.
    const required: Record<string, Obj[]> = {};
    for (const r of step.requirements?.requiredResources ?? []) required[r.requirementName] = fetchStatic(r, NODES);
    let calls = 0;
    for (;;) {
      calls++;
      const rsp = await suite.client.run({ tag: file, capabilities: [1, 2, 3, 4], input: step.input, observed: { composite: { resource: xr } }, required_resources: required });
      const asked = ((rsp.requirements as { resources?: Record<string, { api_version: string; kind: string; match_labels?: { labels: Record<string, string> } }> } | undefined)?.resources) ?? {};
      const missing = Object.keys(asked).filter((k) => !(k in required));
      if (missing.length === 0) return { rsp, calls, step };
      for (const k of missing) required[k] = fetchStatic({ requirementName: k, apiVersion: asked[k]!.api_version, kind: asked[k]!.kind, matchLabels: asked[k]!.match_labels?.labels }, NODES);
      assert.ok(calls < 5, 'the requirement loop settles');
    }
  }

  test('composition.yaml (configconnector) and composition-upbound.yaml (upbound): same rules, each valid against its CRD; upbound in one call', async () => {
    const kcc = await compose('composition.yaml');
    const up = await compose('composition-upbound.yaml');
    assert.equal(kcc.calls, 2);
    assert.equal(up.calls, 1, 'the step declares every Node as `nodes`: no second call');
    assert.deepStrictEqual(kcc.rsp.results ?? [], []);
    assert.deepStrictEqual(up.rsp.results ?? [], []);
    const kccPolicy = (kcc.rsp.desired as { resources: Resources }).resources['security-policy']!.resource;
    const upPolicy = (up.rsp.desired as { resources: Resources }).resources['provider-gcp-security-policy']!.resource;
    assert.deepStrictEqual(validateAgainstKcc(kccPolicy), []);
    assert.deepStrictEqual(validateAgainstUpbound(upPolicy), []);
    assert.deepStrictEqual(rulesOf(upPolicy), rulesOf(kccPolicy));
    assert.equal((upPolicy.metadata as { annotations: Record<string, string> }).annotations['crossplane.io/external-name'], 'web-allowlist');
    assert.deepStrictEqual((up.rsp.meta as Obj).ttl, { seconds: 30 });
    const attachments = (r: Obj) => Object.entries((r.desired as { resources: Resources }).resources).filter(([k]) => k.startsWith('backendconfig.'));
    assert.deepStrictEqual(attachments(up.rsp), attachments(kcc.rsp));
  });

  test('watchoperation.yaml: a Node change requests a reconcile of the example XR, a Node it does not select does not', async () => {
    const op = load('watchoperation.yaml') as { apiVersion: string; kind: string; spec: { watch: { apiVersion: string; kind: string }; operationTemplate: { spec: { mode: string; pipeline: Step[] } } } };
    assert.equal(op.apiVersion, 'ops.crossplane.io/v1alpha1');
    assert.equal(op.kind, 'WatchOperation');
    assert.deepStrictEqual(op.spec.watch, { apiVersion: 'v1', kind: 'Node' });
    const step = op.spec.operationTemplate.spec.pipeline[0]!;
    assert.equal(step.functionRef.name, functions.metadata.name);
    const xrsRequirement = step.requirements!.requiredResources!.find((r) => r.requirementName === 'securitypolicies')!;
    assert.deepStrictEqual([xrsRequirement.apiVersion, xrsRequirement.kind], [`${xrd.spec.group}/${xrd.spec.versions[0]!.name}`, xrd.spec.names.kind]);

    // The XR as the composition left it: its status records what each entry took from which Node.
    const composed = await compose('composition.yaml');
    const status = ((composed.rsp.desired as { composite: { resource: { status: Obj } } }).composite.resource.status);
    const observedXr = { ...xr, metadata: { ...(xr.metadata as Obj), uid: 'xr-uid' }, status };

    const publicNode = NODES.find((n) => n.metadata.labels?.['cloud.google.com/gke-nodepool'] === 'pool-1')!;
    const privateNode = NODES.find((n) => n.metadata.labels?.['cloud.google.com/gke-nodepool'] === 'dev-general')!;
    const run = (watched: Obj) => suite.client.run({ tag: 'op', input: step.input, required_resources: { 'ops.crossplane.io/watched-resource': [watched], securitypolicies: [observedXr] } });

    // pool-1's Node moves to another pool: the XR took its address, so it must drop it now.
    const moved = { ...publicNode, metadata: { ...publicNode.metadata, resourceVersion: '9001', labels: { ...publicNode.metadata.labels, 'cloud.google.com/gke-nodepool': 'pool-2' } } };
    const hit = await run(moved);
    assert.deepStrictEqual(Object.values((hit.desired as { resources: Resources }).resources).map((r) => r.resource), [{
      apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy',
      metadata: { name: 'web-allowlist', namespace: 'team-web', uid: 'xr-uid', annotations: { 'crossplane.io/reconcile-requested-at': `${publicNode.metadata.name}@9001` } },
    }]);
    // The private Node changes: no entry of the XR selects it.
    const miss = await run({ ...privateNode, metadata: { ...privateNode.metadata, resourceVersion: '9002', labels: { ...privateNode.metadata.labels, team: 'x' } } });
    assert.deepStrictEqual((miss.desired as { resources?: Resources }).resources ?? {}, {});
  });

  test('rbac-operation.yaml lets Crossplane watch Nodes and read and patch the XRs; rbac.yaml lets it read Nodes', () => {
    const rules = (f: string) => (load(f) as { metadata: { labels: Record<string, string> }; rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> });
    for (const f of ['rbac.yaml', 'rbac-operation.yaml']) assert.equal(rules(f).metadata.labels['rbac.crossplane.io/aggregate-to-crossplane'], 'true');
    const grants = (f: string, group: string, resource: string) => rules(f).rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);
    for (const verb of ['get', 'list', 'watch']) assert.ok(grants('rbac-operation.yaml', '', 'nodes').includes(verb), verb);
    for (const verb of ['get', 'list', 'patch']) assert.ok(grants('rbac-operation.yaml', xrd.spec.group, 'securitypolicies').includes(verb), verb);
    for (const verb of ['get', 'list', 'watch']) assert.ok(grants('rbac.yaml', '', 'nodes').includes(verb), verb);
  });
});
