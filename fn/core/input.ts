// The function's Input: what a platform team sets once per Composition step (Crossplane `input`),
// per KRM functionConfig, or per Operation step. Validated like the SecurityPolicy: findings name the
// field (`input.spec.target`) and the value; the adapters turn an error into a Fatal result or a
// KRM error. package/input/ holds the same schema as a CRD, and a test checks that they agree.
//
//   apiVersion: security.example.org/v1alpha1
//   kind: Input
//   spec:
//     target: upbound                 # configconnector (default) | upbound
//     providerConfigRef: {kind: ProviderConfig, name: gcp}   # upbound only
//     ttl: 30s                        # Crossplane meta.ttl of composition responses
import * as z from 'zod';
import { parseDuration } from '../common/duration';
import { API_VERSION, INPUT_KIND } from './api';
import { error, formatPath, type Finding } from './findings';
import { TARGET_NAMES, type TargetOptions } from './targets';

/** Go's duration grammar (fn/common/duration.ts), unsigned; the CRD carries the same pattern. */
export const DURATION_PATTERN = '^(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h))+$';
export const MIN_TTL_MS = 1000;
export const MAX_TTL_MS = 24 * 3_600_000;
const K8S_NAME = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';

export const functionInput = z
  .object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(INPUT_KIND),
    metadata: z.record(z.string(), z.unknown()).optional(),
    spec: z
      .object({
        target: z.enum(TARGET_NAMES).optional(),
        providerConfigRef: z
          .object({
            kind: z.enum(['ProviderConfig', 'ClusterProviderConfig']),
            name: z.string().min(1).max(253).regex(new RegExp(K8S_NAME), 'must be a Kubernetes object name'),
          })
          .strict()
          .optional(),
        ttl: z.string().max(64).regex(new RegExp(DURATION_PATTERN), 'must be a duration such as 30s, 1m30s or 2m').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type FunctionInput = z.infer<typeof functionInput>;

export interface InputOptions {
  target: TargetOptions;
  /** meta.ttl of composition responses, when the input sets one. */
  ttlMs?: number;
}

const shown = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p as string];
  }
  return cur;
}

/**
 * The options an Input sets; no input at all means the defaults. `prefix` is how the adapter names
 * the object in messages: `input` under Crossplane, `functionConfig` under KRM.
 */
export function parseFunctionInput(obj: unknown, prefix = 'input'): { ok: true; options: InputOptions } | { ok: false; findings: Finding[] } {
  if (obj === undefined || obj === null) return { ok: true, options: { target: {} } };
  const result = functionInput.safeParse(obj);
  if (!result.success) {
    return {
      ok: false,
      findings: result.error.issues.map((issue) => {
        const path = issue.path as PropertyKey[];
        if (issue.code === 'unrecognized_keys') {
          const keys = (issue as { keys: string[] }).keys;
          return error(`unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k)).join(', ')}`, formatPath([prefix, ...path, keys[0]!]));
        }
        const value = valueAt(obj, path);
        return error(`${value === undefined ? 'is missing' : `${shown(value)} is invalid`}: ${issue.message}`, formatPath([prefix, ...path]), value);
      }),
    };
  }
  const spec = result.data.spec ?? {};
  const findings: Finding[] = [];
  if (spec.providerConfigRef && spec.target !== 'upbound') {
    findings.push(error(`applies to target upbound only (target is ${spec.target ?? 'configconnector, the default'})`, `${prefix}.spec.providerConfigRef`, spec.providerConfigRef));
  }
  let ttlMs: number | undefined;
  if (spec.ttl !== undefined) {
    ttlMs = parseDuration(spec.ttl);
    if (ttlMs < MIN_TTL_MS || ttlMs > MAX_TTL_MS) findings.push(error(`${shown(spec.ttl)} is out of range: between 1s and 24h`, `${prefix}.spec.ttl`, spec.ttl));
  }
  if (findings.length > 0) return { ok: false, findings };
  return { ok: true, options: { target: { target: spec.target, providerConfigRef: spec.providerConfigRef }, ...(ttlMs !== undefined ? { ttlMs } : {}) } };
}
