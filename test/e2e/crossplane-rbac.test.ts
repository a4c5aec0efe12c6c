// examples/crossplane/rbac.yaml must let Crossplane do what the function asks of it: read the Nodes it
// requires, and create, update and delete every kind the function composes. Crossplane's own ClusterRole
// only covers its own types; a composed kind it may not create makes every XR fail with a 403. The kinds
// are taken from what the core really emits (a SecurityPolicy with both kinds of attachment, under every
// output target), not from a list written beside the RBAC, so a new kind of output without RBAC fails here.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadAll } from 'js-yaml';
import { render } from '../../fn/core/render';
import { TARGET_NAMES } from '../../fn/core/targets';
import { KCC_DIR, UPBOUND_DIR } from '../helpers/crd';
import { REPO } from './tools';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
type ClusterRole = { kind: string; metadata: { name: string; labels?: Record<string, string> }; rules: Rule[] };

/** The verbs Crossplane uses on a composed resource: observe it, apply it (server-side), garbage-collect it. */
const COMPOSE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Plural resource names of the composed kinds no CRD copy in test/fixtures gives (GKE's own CRDs). */
const GKE_PLURALS: Record<string, string> = {
  'cloud.google.com/BackendConfig': 'backendconfigs',
  'networking.gke.io/GCPBackendPolicy': 'gcpbackendpolicies',
};

/** group/Kind -> plural, from the CRD copies the tests validate against (Config Connector, provider-gcp). */
function crdPlurals(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of [KCC_DIR, UPBOUND_DIR]) {
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      for (const doc of loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as Array<{ kind?: string; spec?: { group: string; names: { kind: string; plural: string } } }>) {
        if (doc?.kind === 'CustomResourceDefinition' && doc.spec) out[`${doc.spec.group}/${doc.spec.names.kind}`] = doc.spec.names.plural;
      }
    }
  }
  return out;
}

const PLURALS = { ...GKE_PLURALS, ...crdPlurals() };

function aggregatedRoles(): ClusterRole[] {
  const docs = loadAll(fs.readFileSync(path.join(REPO, 'examples/crossplane/rbac.yaml'), 'utf8')) as ClusterRole[];
  return docs.filter((d) => d?.kind === 'ClusterRole' && d.metadata.labels?.['rbac.crossplane.io/aggregate-to-crossplane'] === 'true');
}

function allows(group: string, resource: string, verb: string): boolean {
  return aggregatedRoles().some((role) => role.rules.some((r) =>
    r.apiGroups.includes(group) && r.resources.includes(resource) && (r.verbs.includes(verb) || r.verbs.includes('*'))));
}

/** Every kind the core composes, for every output target, for a SecurityPolicy that uses every output. */
function composedKinds(): Array<{ group: string; kind: string }> {
  const kinds = new Map<string, { group: string; kind: string }>();
  for (const target of TARGET_NAMES) {
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
      target: { target },
    });
    assert.deepEqual(out.findings.filter((f) => f.severity === 'error'), [], target);
    assert.equal(out.objects.length, 3, `${target}: the policy and two attachments`);
    for (const o of out.objects) {
      const group = String(o.apiVersion).split('/')[0]!;
      kinds.set(`${group}/${String(o.kind)}`, { group, kind: String(o.kind) });
    }
  }
  return [...kinds.values()];
}

test('rbac.yaml: ClusterRoles aggregated into Crossplane by its label', () => {
  assert.ok(aggregatedRoles().length > 0);
});

test('rbac.yaml: Crossplane may read the Nodes the function requires', () => {
  for (const verb of ['get', 'list', 'watch']) assert.ok(allows('', 'nodes', verb), `nodes: ${verb}`);
});

test('rbac.yaml: Crossplane may create, update and delete every kind the function composes, for every target', () => {
  const kinds = composedKinds();
  assert.ok(kinds.length >= 4, 'Config Connector policy, provider-gcp policy, two attachments');
  for (const { group, kind } of kinds) {
    const plural = PLURALS[`${group}/${kind}`];
    assert.ok(plural, `no plural known for ${group}/${kind}: add its CRD to test/fixtures or GKE_PLURALS, and the rule to rbac.yaml`);
    for (const verb of COMPOSE_VERBS) assert.ok(allows(group, plural, verb), `${group} ${plural}: ${verb}`);
  }
});

test('rbac.yaml: nothing broader than needed (no wildcard group, resource or verb)', () => {
  for (const role of aggregatedRoles()) {
    for (const r of role.rules) {
      assert.ok(!r.apiGroups.includes('*') && !r.resources.includes('*') && !r.verbs.includes('*'), JSON.stringify(r));
    }
  }
});
