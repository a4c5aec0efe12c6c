// `security-policy render --target upbound`: the same rules as the default target, in provider-gcp's
// SecurityPolicy, valid against the provider's CRD; bad flag values are errors naming flag and value.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { validateAgainstKcc } from '../helpers/crd';
import { validateAgainstUpbound } from '../helpers/upbound-crd';
import { FIXTURES, runCli } from './helpers';

const fixture = (f: string) => join(FIXTURES, f);
type Obj = { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> };
const docs = (text: string) => yaml.loadAll(text) as Obj[];

describe('render --target', () => {
  test('upbound: provider-gcp SecurityPolicy valid against its CRD, with the rules of the default target', async () => {
    const up = await runCli(['render', '--target', 'upbound', '--provider-config', 'ProviderConfig/gcp-team', fixture('policy.yaml'), fixture('nodes.yaml')]);
    assert.equal(up.code, 0, up.stderr);
    const kcc = await runCli(['render', fixture('policy.yaml'), fixture('nodes.yaml')]);
    assert.equal(kcc.code, 0, kcc.stderr);
    const [mr, ...upRest] = docs(up.stdout);
    const [csp, ...kccRest] = docs(kcc.stdout);
    assert.equal(mr!.apiVersion, 'compute.gcp.m.upbound.io/v1beta1');
    assert.deepStrictEqual(validateAgainstUpbound(mr), []);
    assert.deepStrictEqual(validateAgainstKcc(csp), []);
    assert.deepStrictEqual((mr!.spec.forProvider as { rule: unknown }).rule, csp!.spec.rule);
    assert.deepStrictEqual(mr!.spec.providerConfigRef, { kind: 'ProviderConfig', name: 'gcp-team' });
    assert.deepStrictEqual(upRest, kccRest);
  });

  test('configconnector is the default and can be named', async () => {
    const named = await runCli(['render', '--target', 'configconnector', fixture('policy.yaml'), fixture('nodes.yaml')]);
    const plain = await runCli(['render', fixture('policy.yaml'), fixture('nodes.yaml')]);
    assert.equal(named.code, 0, named.stderr);
    assert.equal(named.stdout, plain.stdout);
  });

  test('an unknown target, a malformed or misplaced --provider-config: exit 1, flag and value named, nothing on stdout', async () => {
    for (const [args, pattern] of [
      [['--target', 'terraform'], /--target "terraform": expected one of configconnector, upbound/],
      [['--target', 'upbound', '--provider-config', 'gcp'], /--provider-config "gcp": expected ProviderConfig\/NAME/],
      [['--provider-config', 'ProviderConfig/gcp'], /--provider-config applies to --target upbound only/],
    ] as const) {
      const r = await runCli(['render', ...args, fixture('policy.yaml'), fixture('nodes.yaml')]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, pattern);
    }
  });
});

describe('render --target upbound with the previous output among the inputs', () => {
  const tmp = () => mkdtempSync(join(tmpdir(), 'sp-target-'));

  test('whenNoNodes Keep reads the node ranges back from the provider-gcp policy (not only from a ComputeSecurityPolicy)', async () => {
    const first = await runCli(['render', '--target', 'upbound', fixture('policy.yaml'), fixture('nodes.yaml')]);
    assert.equal(first.code, 0, first.stderr);
    const [mr] = docs(first.stdout);
    const dir = tmp();
    writeFileSync(join(dir, 'previous.yaml'), yaml.dump(mr));
    const keep = (yaml.load(readFileSync(fixture('policy.yaml'), 'utf8')) as Obj);
    (keep.spec.nodes as Array<Record<string, unknown>>)[0]!.whenNoNodes = 'Keep';
    writeFileSync(join(dir, 'policy.yaml'), yaml.dump(keep));
    // The cluster has no Node, said explicitly (without a NodeSnapshot, no Node at all is an error).
    writeFileSync(join(dir, 'nodes.yaml'), 'apiVersion: security.example.org/v1alpha1\nkind: NodeSnapshot\nmetadata: {name: nodes}\nnodeCount: 0\n');
    const again = await runCli(['render', '--target', 'upbound', join(dir, 'policy.yaml'), join(dir, 'previous.yaml'), join(dir, 'nodes.yaml')]);
    assert.equal(again.code, 0, again.stderr);
    const [kept] = docs(again.stdout);
    assert.deepStrictEqual((kept!.spec.forProvider as { rule: unknown }).rule, (mr!.spec.forProvider as { rule: unknown }).rule);
  });

  test('--passthrough replaces the previous provider-gcp policy instead of patching it like an attachment', async () => {
    const first = await runCli(['render', '--target', 'upbound', fixture('policy.yaml'), fixture('nodes.yaml')]);
    const [mr] = docs(first.stdout);
    const stale = structuredClone(mr!);
    (stale.spec.forProvider as { rule: Array<{ match: { config: { srcIpRanges: string[] } } }> }).rule[0]!.match.config.srcIpRanges = ['192.0.2.99/32'];
    const dir = tmp();
    writeFileSync(join(dir, 'previous.yaml'), yaml.dump(stale));
    const out = await runCli(['render', '--target', 'upbound', '--passthrough', fixture('policy.yaml'), fixture('nodes.yaml'), join(dir, 'previous.yaml')]);
    assert.equal(out.code, 0, out.stderr);
    const policies = docs(out.stdout).filter((d) => d.apiVersion === 'compute.gcp.m.upbound.io/v1beta1');
    assert.deepStrictEqual(policies, [mr]);
  });
});
