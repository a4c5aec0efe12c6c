// examples/crossplane/rbac.yaml must let Crossplane do what the function asks of it: read the Nodes it
// requires, and create, update and delete every kind the function composes. Crossplane's own ClusterRole
// only covers its own types; a composed kind it may not create makes every XR fail with a 403. The kinds
// are taken from what the core really emits (a SecurityPolicy with both kinds of attachment), not from a
// list written beside the RBAC, so a new kind of output without RBAC fails here.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadAll } from 'js-yaml';
import { render } from '../../fn/core/render';
import { UPBOUND_DIR } from '../helpers/crd';
import { REPO } from './tools';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
type ClusterRole = { kind: string; metadata: { name: string; labels?: Record<string, string> }; rules: Rule[] };

/** The verbs Crossplane uses on a composed resource: observe it, apply it (server-side), garbage-collect it. */
const COMPOSE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Plural resource names of the kinds the function composes (kubectl api-resources on a GKE cluster with Config Connector). */
const PLURALS: Record<string, string> = {
  ComputeSecurityPolicy: 'computesecuritypolicies',
  BackendConfig: 'backendconfigs',
  GCPBackendPolicy: 'gcpbackendpolicies',
};

function aggregatedRoles(): ClusterRole[] {
  const docs = loadAll(fs.readFileSync(path.join(REPO, 'examples/crossplane/rbac.yaml'), 'utf8')) as ClusterRole[];
  return docs.filter((d) => d?.kind === 'ClusterRole' && d.metadata.labels?.['rbac.crossplane.io/aggregate-to-crossplane'] === 'true');
}

function allows(group: string, resource: string, verb: string): boolean {
  return aggregatedRoles().some((role) => role.rules.some((r) =>
    r.apiGroups.includes(group) && r.resources.includes(resource) && (r.verbs.includes(verb) || r.verbs.includes('*'))));
}

/** Every kind the core composes for a SecurityPolicy that uses every output: the policy and both attachments. */
function composedKinds(): Array<{ group: string; kind: string }> {
  const out = render({
    securityPolicy: {
      apiVersion: 'security.example.org/v1alpha1',
      kind: 'SecurityPolicy',
      metadata: { name: 'web', namespace: 'team-web' },
      spec: {
        sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }],
        attach: {
          backendConfigs: [{ name: 'web' }],
          gcpBackendPolicies: [{ name: 'web', targetRef: { group: '', kind: 'Service', name: 'web' } }],
        },
      },
    },
    nodes: [],
  });
  assert.deepEqual(out.findings.filter((f) => f.severity === 'error'), []);
  const kinds = out.objects.map((o) => ({ group: String(o.apiVersion).split('/')[0]!, kind: String(o.kind) }));
  assert.equal(kinds.length, 3, 'the policy and two attachments');
  return kinds;
}

test('rbac.yaml: ClusterRoles aggregated into Crossplane by its label', () => {
  assert.ok(aggregatedRoles().length > 0);
});

test('rbac.yaml: Crossplane may read the Nodes the function requires', () => {
  for (const verb of ['get', 'list', 'watch']) assert.ok(allows('', 'nodes', verb), `nodes: ${verb}`);
});

test('rbac.yaml: Crossplane may create, update and delete every kind the function composes', () => {
  for (const { group, kind } of composedKinds()) {
    const plural = PLURALS[kind];
    assert.ok(plural, `no plural known for ${kind}: add it to PLURALS and the rule to rbac.yaml`);
    for (const verb of COMPOSE_VERBS) assert.ok(allows(group, plural, verb), `${group} ${plural}: ${verb}`);
  }
});

test("rbac.yaml: the provider-gcp target's SecurityPolicy (group and plural from its CRD) is covered too", () => {
  const crdFile = fs.readdirSync(UPBOUND_DIR).find((f) => f.includes('securitypolicies'));
  assert.ok(crdFile, `no SecurityPolicy CRD in ${UPBOUND_DIR}`);
  const crd = loadAll(fs.readFileSync(path.join(UPBOUND_DIR, crdFile), 'utf8'))[0] as { spec: { group: string; names: { plural: string } } };
  for (const verb of COMPOSE_VERBS) assert.ok(allows(crd.spec.group, crd.spec.names.plural, verb), `${crd.spec.group} ${crd.spec.names.plural}: ${verb}`);
});

test('rbac.yaml: nothing broader than needed (no wildcard group, resource or verb)', () => {
  for (const role of aggregatedRoles()) {
    for (const r of role.rules) {
      assert.ok(!r.apiGroups.includes('*') && !r.resources.includes('*') && !r.verbs.includes('*'), JSON.stringify(r));
    }
  }
});
