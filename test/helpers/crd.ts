// Schema validation of emitted manifests for the tests.
//
// ComputeSecurityPolicy and ComputeBackendService: the real Config Connector CRDs copied into
// test/fixtures/crds/kcc/ (source and licence in test/fixtures/README.md), their served version's
// openAPIV3Schema compiled with ajv.
// Two things are added to what the API server's structural schema alone would catch, because they are
// what a real `kubectl apply` does: unknown fields are rejected (kubectl's default `--validate=strict`,
// i.e. server-side field validation Strict, instead of silent pruning), and `apiVersion`/`kind`/
// `metadata.name` are checked (the CRD leaves metadata as a bare object).
//
// BackendConfig (cloud.google.com/v1) and GCPBackendPolicy (networking.gke.io/v1): no CRD is at hand,
// so they are checked against small zod schemas written from the shapes in GKE's public docs
// (BackendConfig `spec.securityPolicy.name`; GCPBackendPolicy `spec.default.securityPolicy` and
// `spec.targetRef{group,kind,name}`). They are deliberately narrow: only the fields this project emits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import { z } from 'zod';

/** Config Connector CRDs and samples, verbatim copies (see test/fixtures/README.md). */
export const KCC_DIR = path.resolve(__dirname, '../fixtures/crds/kcc');
/** provider-upjet-gcp's namespaced SecurityPolicy CRD (compute.gcp.m.upbound.io), a verbatim copy. */
export const UPBOUND_DIR = path.resolve(__dirname, '../fixtures/crds/upbound');
/** Cloud Armor limits with their sources (test/fixtures/cloud-armor-limits.yaml). */
export const CLOUD_ARMOR_LIMITS_FILE = path.resolve(__dirname, '../fixtures/cloud-armor-limits.yaml');

type Schema = Record<string, unknown>;

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: Schema } }>;
  };
}

/** Loads a CRD file and returns group, kind, served version and its openAPIV3Schema. */
export function loadCrd(file: string): { group: string; kind: string; version: string; schema: Schema } {
  const crd = yaml.load(fs.readFileSync(path.resolve(KCC_DIR, file), 'utf8')) as Crd;
  const served = crd.spec.versions.filter((v) => v.served !== false);
  const v = served.find((x) => x.storage) ?? served[0];
  if (!v?.schema?.openAPIV3Schema) throw new Error(`${file}: no served version with an openAPIV3Schema`);
  return { group: crd.spec.group, kind: crd.spec.names.kind, version: v.name, schema: v.schema.openAPIV3Schema };
}

/**
 * Turns a Kubernetes structural schema into plain JSON schema: `x-kubernetes-int-or-string` becomes
 * integer|string, `x-kubernetes-preserve-unknown-fields` keeps an object open, every other object with
 * `properties` is closed (strict field validation); the remaining `x-kubernetes-*` keys are dropped.
 */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-')) continue;
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([name, s]) => [name, toJsonSchema(s)]));
    } else if (k === 'description' || k === 'example' || k === 'default' || k === 'enum') {
      out[k] = v; // literal values, not schemas
    } else {
      out[k] = toJsonSchema(v);
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (src.properties && src['x-kubernetes-preserve-unknown-fields'] !== true && src.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

const METADATA_SCHEMA: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
    namespace: { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI numeric formats, which ajv-formats does not define.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) });
  return ajv;
}

function compileCrd(file: string): { apiVersion: string; kind: string; validate: ValidateFunction } {
  const crd = loadCrd(file);
  const schema = toJsonSchema(crd.schema) as Schema;
  const props = { ...(schema.properties as Schema) };
  props.apiVersion = { const: `${crd.group}/${crd.version}` };
  props.kind = { const: crd.kind };
  props.metadata = METADATA_SCHEMA;
  const full: Schema = { ...schema, properties: props, required: [...new Set([...((schema.required as string[]) ?? []), 'apiVersion', 'kind', 'metadata'])] };
  return { apiVersion: `${crd.group}/${crd.version}`, kind: crd.kind, validate: newAjv().compile(full) };
}

const compiled = new Map<string, ReturnType<typeof compileCrd>>();
function validatorFor(kind: 'ComputeSecurityPolicy' | 'ComputeBackendService'): ReturnType<typeof compileCrd> {
  let v = compiled.get(kind);
  if (!v) {
    v = compileCrd(kind === 'ComputeSecurityPolicy' ? 'kcc-computesecuritypolicy-crd.yaml' : 'kcc-computebackendservice-crd.yaml');
    compiled.set(kind, v);
  }
  return v;
}

function formatAjvError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  if (e.keyword === 'additionalProperties') return `${where}: unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
  return `${where}: ${e.message ?? e.keyword}${e.keyword === 'const' ? ` ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}` : ''}`;
}

/**
 * Validates a ComputeSecurityPolicy or ComputeBackendService against the KCC CRD (and BackendConfig /
 * GCPBackendPolicy against the doc-derived schemas below). Returns the errors; empty when valid.
 */
export function validateAgainstKcc(obj: unknown): string[] {
  const kind = (obj as { kind?: unknown } | null)?.kind;
  if (kind === 'ComputeSecurityPolicy' || kind === 'ComputeBackendService') {
    const { validate } = validatorFor(kind);
    return validate(obj) ? [] : (validate.errors ?? []).map(formatAjvError);
  }
  if (kind === 'BackendConfig' || kind === 'GCPBackendPolicy') return validateGkeAttachment(obj);
  return [`(root): no schema for kind ${JSON.stringify(kind)}`];
}

// ---- GKE attachments: no CRD at hand; zod schemas from GKE's public docs (see the file comment). ----

const k8sName = z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
const k8sMetadata = z.object({ name: k8sName, namespace: z.string().min(1).max(63).optional(), annotations: z.record(z.string(), z.string()).optional(), labels: z.record(z.string(), z.string()).optional() }).strict();
const policyName = z.string().min(1).max(63).regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);

/** https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration (BackendConfig securityPolicy). */
export const backendConfigSchema = z.object({
  apiVersion: z.literal('cloud.google.com/v1'),
  kind: z.literal('BackendConfig'),
  metadata: k8sMetadata,
  spec: z.object({ securityPolicy: z.object({ name: policyName }).strict() }).strict(),
}).strict();

/** https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources (GCPBackendPolicy). */
export const gcpBackendPolicySchema = z.object({
  apiVersion: z.literal('networking.gke.io/v1'),
  kind: z.literal('GCPBackendPolicy'),
  metadata: k8sMetadata,
  spec: z.object({
    default: z.object({ securityPolicy: policyName }).strict(),
    targetRef: z.object({ group: z.string(), kind: z.string().min(1), name: k8sName, namespace: z.string().min(1).optional() }).strict(),
  }).strict(),
}).strict();

export function validateGkeAttachment(obj: unknown): string[] {
  const kind = (obj as { kind?: unknown } | null)?.kind;
  const schema = kind === 'BackendConfig' ? backendConfigSchema : kind === 'GCPBackendPolicy' ? gcpBackendPolicySchema : undefined;
  if (!schema) return [`(root): no schema for kind ${JSON.stringify(kind)}`];
  const r = schema.safeParse(obj);
  return r.success ? [] : r.error.issues.map((i) => `/${i.path.map(String).join('/')}: ${i.message}`);
}

/** The Cloud Armor facts the checks below use, read from the sourced fixture rather than retyped. */
export const CLOUD_ARMOR_LIMITS = (() => {
  const facts = yaml.load(fs.readFileSync(CLOUD_ARMOR_LIMITS_FILE, 'utf8')) as {
    srcIpRangesPerBasicRule: { value: number }; ruleDescriptionMaxChars: { value: number }; priority: { defaultRule: number };
  };
  return { rangesPerRule: facts.srcIpRangesPerBasicRule.value, descriptionMaxChars: facts.ruleDescriptionMaxChars.value, defaultRulePriority: facts.priority.defaultRule };
})();

/**
 * Cloud Armor limits the CRD does not encode (CLOUD_ARMOR_LIMITS, from test/fixtures/cloud-armor-limits.yaml):
 * at most 10 srcIpRanges per basic rule, rule description ≤ 64 characters, unique priorities in
 * 0..2147483647, exactly one default rule (2147483647, srcIpRanges ["*"]). Returns errors; empty when
 * within limits.
 */
export function cloudArmorLimitErrors(obj: unknown): string[] {
  const { rangesPerRule, descriptionMaxChars, defaultRulePriority } = CLOUD_ARMOR_LIMITS;
  const rules = (obj as { spec?: { rule?: unknown } } | null)?.spec?.rule;
  if (!Array.isArray(rules)) return ['/spec/rule: missing'];
  const errors: string[] = [];
  const seen = new Set<number>();
  let defaults = 0;
  rules.forEach((r: { priority?: number; description?: string; match?: { config?: { srcIpRanges?: string[] } } }, i) => {
    const ranges = r.match?.config?.srcIpRanges ?? [];
    if (ranges.length < 1 || ranges.length > rangesPerRule) errors.push(`/spec/rule/${i}: ${ranges.length} srcIpRanges (1..${rangesPerRule} allowed)`);
    if ((r.description ?? '').length > descriptionMaxChars) errors.push(`/spec/rule/${i}/description: longer than ${descriptionMaxChars} characters`);
    const p = r.priority;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > defaultRulePriority) errors.push(`/spec/rule/${i}/priority: ${p} out of range`);
    else if (seen.has(p)) errors.push(`/spec/rule/${i}/priority: ${p} used twice`);
    else seen.add(p);
    if (p === defaultRulePriority) {
      defaults++;
      if (ranges.length !== 1 || ranges[0] !== '*') errors.push(`/spec/rule/${i}: the default rule must match srcIpRanges ["*"]`);
    }
  });
  if (defaults !== 1) errors.push(`/spec/rule: ${defaults} default rules (exactly 1 required)`);
  return errors;
}
