// The function Input: the zod schema (fn/core/input.ts) and the CRD shipped in package/input/ accept
// and refuse the same objects; errors name the field and the value.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe as describeFinding, functionInput, parseFunctionInput } from '../../fn/core';
import { loadCrd, toJsonSchema } from '../helpers/crd';

const REPO = path.resolve(__dirname, '../..');
const CRD_FILE = path.join(REPO, 'package/input/security.example.org_inputs.yaml');
const crd = loadCrd(CRD_FILE);
const validateCrd = new Ajv({ strict: false, allErrors: true }).compile(toJsonSchema(crd.schema) as object);

const base = { apiVersion: 'security.example.org/v1alpha1', kind: 'Input' };

describe('function Input', () => {
  test('the CRD names the group and kind of fn/core/api.ts', () => {
    assert.equal(crd.group, 'security.example.org');
    assert.equal(crd.kind, 'Input');
    assert.equal(crd.version, 'v1alpha1');
  });

  test('errors name the field under input. and quote the value; an unknown field is named', () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ ...base, spec: { target: 'terraform' } }, 'input.spec.target', /"terraform" is invalid/],
      [{ ...base, spec: { ttl: '30' } }, 'input.spec.ttl', /"30" is invalid/],
      [{ ...base, spec: { ttl: '0s' } }, 'input.spec.ttl', /out of range/],
      [{ ...base, spec: { ttl: '25h' } }, 'input.spec.ttl', /out of range/],
      [{ ...base, spec: { targte: 'upbound' } }, 'input.spec.targte', /unknown field "targte"/],
      [{ ...base, spec: { providerConfigRef: { kind: 'ProviderConfig', name: 'gcp' } } }, 'input.spec.providerConfigRef', /target upbound only/],
      [{ ...base, spec: { target: 'upbound', providerConfigRef: { kind: 'Secret', name: 'gcp' } } }, 'input.spec.providerConfigRef.kind', /"Secret" is invalid/],
      [{ apiVersion: 'template.fn.crossplane.io/v1beta1', kind: 'Input' }, 'input.apiVersion', /"template.fn.crossplane.io\/v1beta1" is invalid/],
    ];
    for (const [input, field, message] of cases) {
      const r = parseFunctionInput(input);
      assert.equal(r.ok, false, JSON.stringify(input));
      if (r.ok) continue;
      assert.equal(r.findings[0]!.field, field, describeFinding(r.findings[0]!));
      assert.match(describeFinding(r.findings[0]!), message);
    }
  });

  test('valid inputs give the options; no input gives the defaults', () => {
    assert.deepStrictEqual(parseFunctionInput(undefined), { ok: true, options: { target: {} } });
    const r = parseFunctionInput({ ...base, spec: { target: 'upbound', providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' }, ttl: '1m30s' } });
    assert.deepStrictEqual(r, { ok: true, options: { target: { target: 'upbound', providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' } }, ttlMs: 90_000 } });
  });

  test('the example inputs of the Crossplane examples validate against the CRD and the zod schema', () => {
    const dir = path.join(REPO, 'examples/crossplane');
    const inputs: unknown[] = [];
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      for (const doc of yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as Array<Record<string, unknown>>) {
        const steps = ((doc?.spec as { pipeline?: unknown[]; operationTemplate?: { spec?: { pipeline?: unknown[] } } } | undefined));
        for (const step of [...(steps?.pipeline ?? []), ...(steps?.operationTemplate?.spec?.pipeline ?? [])] as Array<{ input?: unknown }>) {
          if (step.input) inputs.push(step.input);
        }
      }
    }
    assert.ok(inputs.length >= 2, `found ${inputs.length} inputs`);
    for (const input of inputs) {
      assert.ok(validateCrd(input), JSON.stringify(validateCrd.errors));
      assert.equal(parseFunctionInput(input).ok, true, JSON.stringify(input));
    }
  });

  test('property: the zod schema and the CRD accept exactly the same objects', () => {
    const word = fc.constantFrom('configconnector', 'upbound', 'Upbound', '', 'ProviderConfig', 'ClusterProviderConfig', 'Secret', 'gcp', 'gcp.team-1', '-x', '30s', '1m30s', '.5h', '30', '1.s', 'µs', '10µs', 's');
    const value = fc.oneof(word, fc.integer(), fc.constant(null), fc.boolean());
    const ref = fc.oneof(value, fc.record({ kind: value, name: value }, { requiredKeys: [] }), fc.record({ kind: value, name: value, extra: value }, { requiredKeys: [] }));
    const spec = fc.oneof(value, fc.record({ target: value, providerConfigRef: ref, ttl: value, other: value }, { requiredKeys: [] }));
    const input = fc.record({
      apiVersion: fc.constantFrom('security.example.org/v1alpha1', 'security.example.org/v1', 'v1'),
      kind: fc.constantFrom('Input', 'input'),
      spec,
    }, { requiredKeys: ['apiVersion', 'kind'] });
    fc.assert(fc.property(input, (obj) => {
      assert.equal(functionInput.safeParse(obj).success, validateCrd(obj), JSON.stringify(obj));
    }), { seed: 7, numRuns: 2000 });
  });
});
