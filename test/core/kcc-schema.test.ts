// The schema helpers must be able to fail: a validator that accepts everything would make every
// "validates against the CRD" assertion vacuous.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { cloudArmorLimitErrors, KCC_DIR, validateAgainstKcc } from '../helpers/crd';
import { generateNodes, realNodes } from '../helpers/nodes';

const sample = () => yaml.load(fs.readFileSync(path.join(KCC_DIR, 'kcc-sample-computesecuritypolicy-multirule.yaml'), 'utf8')) as any;

test('the KCC sample ComputeSecurityPolicy and ComputeBackendService are valid', () => {
  assert.deepEqual(validateAgainstKcc(sample()), []);
  for (const o of yaml.loadAll(fs.readFileSync(path.join(KCC_DIR, 'kcc-sample-computebackendservice-with-securitypolicyref.yaml'), 'utf8'))) {
    assert.deepEqual(validateAgainstKcc(o), []);
  }
});

const broken: Array<[string, (o: any) => void, RegExp]> = [
  ['priority as a string', (o) => { o.spec.rule[0].priority = 'x'; }, /\/spec\/rule\/0\/priority: must be integer/],
  ['priority above int32', (o) => { o.spec.rule[0].priority = 2 ** 31; }, /\/spec\/rule\/0\/priority: must match format "int32"/],
  ['rule without match', (o) => { delete o.spec.rule[1].match; }, /\/spec\/rule\/1: must have required property 'match'/],
  ['match.config without srcIpRanges', (o) => { o.spec.rule[1].match.config = {}; }, /srcIpRanges/],
  ['srcIpRanges not a list', (o) => { o.spec.rule[1].match.config.srcIpRanges = '1.2.3.4/32'; }, /must be array/],
  ['unknown field in a rule', (o) => { o.spec.rule[0].srcIpRanges = ['*']; }, /unknown field "srcIpRanges"/],
  ['wrong kind', (o) => { o.kind = 'ComputeSecurityPolicy'; o.apiVersion = 'compute.cnrm.cloud.google.com/v1'; }, /\/apiVersion: must be equal to constant/],
  ['missing metadata.name', (o) => { delete o.metadata.name; }, /\/metadata: must have required property 'name'/],
  ['annotation not a string', (o) => { o.metadata.annotations = { 'cnrm.cloud.google.com/project-id': 7 }; }, /must be string/],
];
for (const [name, mutate, expected] of broken) {
  test(`the KCC validator rejects: ${name}`, () => {
    const o = sample();
    mutate(o);
    const errors = validateAgainstKcc(o);
    assert.ok(errors.some((e) => expected.test(e)), `expected ${expected} in ${JSON.stringify(errors)}`);
  });
}

test('the Cloud Armor limit checker rejects what the CRD lets through', () => {
  const o = sample();
  o.spec.rule[2].match.config.srcIpRanges = Array.from({ length: 11 }, (_, i) => `10.0.${i}.0/24`);
  o.spec.rule[3].priority = 555;
  o.spec.rule[1].description = 'x'.repeat(65);
  assert.deepEqual(validateAgainstKcc(o), []);
  assert.deepEqual(cloudArmorLimitErrors(o), [
    '/spec/rule/1/description: longer than 64 characters',
    '/spec/rule/2: 11 srcIpRanges (1..10 allowed)',
    '/spec/rule/3/priority: 555 used twice',
  ]);
});

test('the GKE attachment schemas accept the documented shapes and reject others', () => {
  const bc = { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'web', namespace: 'web' }, spec: { securityPolicy: { name: 'web-allowlist' } } };
  const gbp = { apiVersion: 'networking.gke.io/v1', kind: 'GCPBackendPolicy', metadata: { name: 'web', namespace: 'web' }, spec: { default: { securityPolicy: 'web-allowlist' }, targetRef: { group: '', kind: 'Service', name: 'web' } } };
  assert.deepEqual(validateAgainstKcc(bc), []);
  assert.deepEqual(validateAgainstKcc(gbp), []);
  assert.notDeepEqual(validateAgainstKcc({ ...bc, spec: { securityPolicy: 'web-allowlist' } }), []);
  assert.notDeepEqual(validateAgainstKcc({ ...gbp, spec: { securityPolicy: { name: 'web-allowlist' }, targetRef: gbp.spec.targetRef } }), []);
  assert.notDeepEqual(validateAgainstKcc({ ...gbp, spec: { ...gbp.spec, targetRef: { kind: 'Service', name: 'web' } } }), []);
  assert.notDeepEqual(validateAgainstKcc({ kind: 'Deployment' }), []);
});

test('node builders are deterministic and realistic', () => {
  assert.equal(JSON.stringify(generateNodes(50, 7)), JSON.stringify(generateNodes(50, 7)));
  assert.notEqual(JSON.stringify(generateNodes(50, 7)), JSON.stringify(generateNodes(50, 8)));
  const nodes = generateNodes(2000, 1);
  assert.equal(new Set(nodes.map((n) => n.metadata.name)).size, 2000);
  assert.equal(new Set(nodes.map((n) => n.status.addresses[0]!.address)).size, 2000);
  assert.ok(nodes.every((n) => n.status.images.length === 40 && n.spec.providerID.startsWith('gce://')));
  const [pub, priv, spot] = realNodes();
  assert.deepEqual(pub!.status.addresses.map((a) => a.type), ['InternalIP', 'ExternalIP', 'Hostname']);
  assert.deepEqual(priv!.status.addresses, [{ type: 'InternalIP', address: '10.0.0.3' }]);
  assert.equal(priv!.metadata.labels['cloud.google.com/private-node'], 'true');
  assert.equal(spot!.metadata.labels['cloud.google.com/gke-spot'], 'true');
  assert.deepEqual(spot!.status.addresses.find((a) => a.type === 'ExternalIP'), { type: 'ExternalIP', address: '34.79.110.181' });
});
