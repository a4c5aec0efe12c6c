// Validation of provider-gcp manifests for the tests: the namespaced SecurityPolicy CRD of
// provider-upjet-gcp (compute.gcp.m.upbound.io/v1beta1), a verbatim copy in
// test/fixtures/crds/upbound/, its served version's openAPIV3Schema compiled with ajv the way
// crd.ts does it for Config Connector: unknown fields rejected (strict field validation, as
// `kubectl apply` does), apiVersion/kind/metadata checked.
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadCrd, toJsonSchema } from './crd';

export const UPBOUND_CRD_FILE = path.resolve(__dirname, '../fixtures/crds/upbound/upjet-gcp-compute.gcp.m.upbound.io_securitypolicies.crd.yaml');

type Schema = Record<string, unknown>;

const METADATA: Schema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
    namespace: { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const crd = loadCrd(UPBOUND_CRD_FILE);
  const schema = toJsonSchema(crd.schema) as Schema;
  const properties = { ...(schema.properties as Schema), apiVersion: { const: `${crd.group}/${crd.version}` }, kind: { const: crd.kind }, metadata: METADATA };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  compiled = ajv.compile({ ...schema, properties, required: ['apiVersion', 'kind', 'metadata', 'spec'] });
  return compiled;
}

function format(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  if (e.keyword === 'additionalProperties') return `${where}: unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/** Errors of a provider-gcp SecurityPolicy against its CRD; empty when valid. */
export function validateAgainstUpbound(obj: unknown): string[] {
  const validate = validator();
  return validate(obj) ? [] : (validate.errors ?? []).map(format);
}

/**
 * What the structural schema cannot say: srcIpRanges is an `x-kubernetes-list-type: set` (the API
 * server refuses duplicates), and the Cloud Armor limits checked for Config Connector apply to the
 * same rules here (at most 10 ranges, 64-character descriptions, unique priorities, one default rule).
 */
export function upboundRuleErrors(obj: unknown): string[] {
  const rules = (obj as { spec?: { forProvider?: { rule?: unknown } } } | null)?.spec?.forProvider?.rule;
  if (!Array.isArray(rules)) return ['/spec/forProvider/rule: missing'];
  const errors: string[] = [];
  rules.forEach((r: { match?: { config?: { srcIpRanges?: string[] } } }, i) => {
    const ranges = r.match?.config?.srcIpRanges ?? [];
    if (new Set(ranges).size !== ranges.length) errors.push(`/spec/forProvider/rule/${i}/match/config/srcIpRanges: duplicates in a set list`);
  });
  return errors;
}
