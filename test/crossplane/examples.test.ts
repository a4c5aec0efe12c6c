// examples/crossplane as `crossplane render xr.yaml composition.yaml functions.yaml
// --required-resources required-resources/` runs them: the function asks for Nodes, the render
// command answers from the files by label, the function composes. The composed policy is checked
// against the Config Connector CRD, and xr.yaml against the XRD's schema.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { validateAgainstKcc, validateGkeAttachment } from '../helpers/crd';
import { REPO, serveForSuite, type Obj } from './harness';

const DIR = path.join(REPO, 'examples/crossplane');
const load = (f: string) => yaml.load(fs.readFileSync(path.join(DIR, f), 'utf8')) as Obj;
const nodes = fs.readdirSync(path.join(DIR, 'required-resources')).filter((f) => f.endsWith('.yaml')).sort()
  .map((f) => load(path.join('required-resources', f)) as { metadata: { labels?: Record<string, string> } });

type Selector = { api_version: string; kind: string; match_labels?: { labels: Record<string, string> } };

describe('examples/crossplane through the function', () => {
  const suite = serveForSuite();

  test('xr.yaml is valid under xrd.yaml, and the composition uses this function in Pipeline mode', () => {
    const xrd = load('xrd.yaml') as { spec: { group: string; scope: string; names: { kind: string }; versions: Array<{ name: string; schema: { openAPIV3Schema: object } }> } };
    const xr = load('xr.yaml') as { apiVersion: string; kind: string };
    assert.equal(xr.apiVersion, `${xrd.spec.group}/${xrd.spec.versions[0]!.name}`);
    assert.equal(xr.kind, xrd.spec.names.kind);
    assert.equal(xrd.spec.scope, 'Namespaced');
    const validate = new Ajv({ strict: false }).compile(xrd.spec.versions[0]!.schema.openAPIV3Schema);
    assert.ok(validate(xr), JSON.stringify(validate.errors));
    const composition = load('composition.yaml') as { spec: { mode: string; pipeline: Array<{ functionRef: { name: string } }> } };
    const functions = load('functions.yaml') as { metadata: { name: string; annotations: Record<string, string> } };
    assert.equal(composition.spec.mode, 'Pipeline');
    assert.equal(composition.spec.pipeline[0]!.functionRef.name, functions.metadata.name);
    assert.equal(functions.metadata.annotations['render.crossplane.io/runtime'], 'Development');
  });

  test('two calls, as crossplane render makes them: the policy allows the example Nodes\' addresses', async () => {
    const xr = load('xr.yaml');
    const first = await suite.client.run({ tag: 'render', observed: { composite: { resource: xr } } });
    const requirements = (first.requirements as { extra_resources: Record<string, Selector> }).extra_resources;
    assert.deepStrictEqual(Object.keys(requirements).sort(), ['nodes-gke-egress', 'nodes-spot-egress']);
    // What the render command's fetcher does: list the given objects of that kind by label.
    const supplied = Object.fromEntries(Object.entries(requirements).map(([key, sel]) => [key, nodes.filter((n) =>
      Object.entries(sel.match_labels?.labels ?? {}).every(([k, v]) => n.metadata.labels?.[k] === v))]));
    const second = await suite.client.run({ tag: 'render', observed: { composite: { resource: xr } }, extra_resources: supplied });
    assert.deepStrictEqual(second.results, []);
    const resources = (second.desired as { resources: Record<string, { resource: Obj }> }).resources;
    assert.deepStrictEqual(Object.keys(resources).sort(), ['backendconfig.team-web.web', 'security-policy']);
    const policy = resources['security-policy']!.resource;
    assert.deepStrictEqual(validateAgainstKcc(policy), []);
    assert.deepStrictEqual(validateGkeAttachment(resources['backendconfig.team-web.web']!.resource), []);
    const ranges = (policy.spec as { rule: Array<{ match: { config: { srcIpRanges: string[] } } }> }).rule.flatMap((r) => r.match.config.srcIpRanges);
    for (const r of ['35.192.99.255/32', '34.79.110.181/32', '203.0.113.0/24', '198.51.100.7/32', '2001:db8:1234::/48']) assert.ok(ranges.includes(r), `${r} in ${ranges.join(' ')}`);
    assert.ok(!ranges.includes('10.0.0.3/32'), 'the private node has no ExternalIP');
    assert.deepStrictEqual((second.desired as { composite: { resource: { status: Obj } } }).composite.resource.status, {
      policyName: 'web-allowlist', ruleCount: 4, rangeCount: 5, nodeAddressCount: 2,
      nodes: [
        { name: 'gke-egress', matched: ['gke-gar-1-pool-1-dce25db1-2mm5=35.192.99.255/32'] },
        { name: 'spot-egress', matched: ['gke-camunda-benchmar-n2-standard-4-v2-d2beeabd-qtvs=34.79.110.181/32'] },
      ],
    });
  });
});
