// One shape for a Cloud Armor policy however it was read: the Compute API (client object, REST JSON,
// `gcloud ... describe --format json`) or a Config Connector ComputeSecurityPolicy (rendered or read from
// a file). Field names are the same camelCase in both; the API calls the list `rules`, KCC `spec.rule`.
// Anything in a rule beyond what this tool writes is kept in `extras`, so that nothing is missed by plan
// (a foreign rule) or lost by import (a rule it cannot express).
import { DEFAULT_RULE_PRIORITY, GENERATED_FROM_ANNOTATION, formatCidr, parseCidr, parseRuleDescription } from '../core';

export interface PolicyRuleView {
  priority: number;
  action: string;
  description: string;
  preview: boolean;
  versionedExpr?: string;
  /** Normalized (`1.2.3.4` -> `1.2.3.4/32`); `*` as is. */
  srcIpRanges: string[];
  /** A CEL expression match (`match.expr.expression`). */
  expr?: string;
  /** Other non-empty fields, as `path: json` strings (rateLimitOptions, redirectOptions, headerAction...). */
  extras: string[];
}

export interface PolicyView {
  name: string;
  type?: string;
  description?: string;
  rules: PolicyRuleView[];
  /** Policy-level settings this tool does not manage (adaptiveProtectionConfig, advancedOptionsConfig...). */
  extras: string[];
}

const POLICY_METADATA_KEYS = new Set(['kind', 'id', 'name', 'selfLink', 'selfLinkWithId', 'creationTimestamp', 'fingerprint', 'labelFingerprint', 'region', 'rules', 'type', 'description', 'associations', 'labels', 'userDefinedFields']);
const KCC_SPEC_KEYS = new Set(['description', 'resourceID', 'rule', 'type']);

function policyExtras(o: Record<string, unknown>, known: Set<string>): string[] {
  return Object.entries(o).filter(([k, v]) => !known.has(k) && !isEmpty(v)).map(([k, v]) => `${k}: ${show(v)}`).sort();
}

const IGNORED_RULE_KEYS = new Set(['kind', 'ruleNumber']);
const KNOWN_RULE_KEYS = new Set(['action', 'description', 'match', 'preview', 'priority']);

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as object).every(isEmpty);
  return false;
}

/** The value without its empty parts (the client fills in empty lists and objects; REST JSON omits them). */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !isEmpty(x)).map(prune);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => !isEmpty(x)).map(([k, x]) => [k, prune(x)]));
  return v;
}

const show = (v: unknown) => JSON.stringify(prune(v));

export function normalizeRange(r: string): string {
  if (r === '*') return r;
  const p = parseCidr(r);
  return p.ok ? formatCidr(p.cidr) : r;
}

export function ruleView(raw: unknown): PolicyRuleView {
  const r = (raw ?? {}) as Record<string, unknown>;
  const match = (r.match ?? {}) as Record<string, unknown>;
  const config = (match.config ?? {}) as Record<string, unknown>;
  const extras: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (!KNOWN_RULE_KEYS.has(k) && !IGNORED_RULE_KEYS.has(k) && !isEmpty(v)) extras.push(`${k}: ${show(v)}`);
  }
  for (const [k, v] of Object.entries(match)) {
    if (!['versionedExpr', 'config', 'expr'].includes(k) && !isEmpty(v)) extras.push(`match.${k}: ${show(v)}`);
  }
  for (const [k, v] of Object.entries(config)) {
    if (k !== 'srcIpRanges' && !isEmpty(v)) extras.push(`match.config.${k}: ${show(v)}`);
  }
  const expr = (match.expr as { expression?: unknown } | undefined)?.expression;
  const ranges = Array.isArray(config.srcIpRanges) ? (config.srcIpRanges as unknown[]).map(String).map(normalizeRange) : [];
  const view: PolicyRuleView = {
    priority: Number(r.priority ?? 0),
    action: typeof r.action === 'string' ? r.action : '',
    description: typeof r.description === 'string' ? r.description : '',
    preview: r.preview === true,
    srcIpRanges: ranges,
    extras: extras.sort(),
  };
  if (typeof match.versionedExpr === 'string' && match.versionedExpr) view.versionedExpr = match.versionedExpr;
  if (typeof expr === 'string' && expr) view.expr = expr;
  return view;
}

/** A policy from the Compute API or gcloud JSON (`rules`), or a KCC manifest (`spec.rule`). */
export function policyView(raw: unknown): PolicyView {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (o.kind === 'ComputeSecurityPolicy' || (o.spec && typeof o.spec === 'object' && 'rule' in (o.spec as object))) {
    const spec = (o.spec ?? {}) as Record<string, unknown>;
    const meta = (o.metadata ?? {}) as Record<string, unknown>;
    return {
      name: String(spec.resourceID ?? meta.name ?? ''),
      type: typeof spec.type === 'string' ? spec.type : undefined,
      description: typeof spec.description === 'string' ? spec.description : undefined,
      rules: sortRules((Array.isArray(spec.rule) ? spec.rule : []).map(ruleView)),
      extras: policyExtras(spec, KCC_SPEC_KEYS),
    };
  }
  return {
    name: String(o.name ?? ''),
    type: typeof o.type === 'string' && o.type ? o.type : undefined,
    description: typeof o.description === 'string' ? o.description : undefined,
    rules: sortRules((Array.isArray(o.rules) ? o.rules : []).map(ruleView)),
    extras: policyExtras(o, POLICY_METADATA_KEYS),
  };
}

const sortRules = (rules: PolicyRuleView[]) => rules.sort((a, b) => a.priority - b.priority);

/**
 * The live policy in the shape the core reads as `previousPolicy` (for whenNoNodes: Keep): every rule
 * field the core checks (action, preview, the match, anything else), and the generated-from mark only
 * when the caller vouches that this is the SecurityPolicy's output.
 */
export function asPreviousPolicy(view: PolicyView, mark?: string): unknown {
  return {
    metadata: mark ? { annotations: { [GENERATED_FROM_ANNOTATION]: mark } } : {},
    spec: {
      rule: view.rules.map((r) => ({
        action: r.action,
        description: r.description,
        preview: r.preview,
        priority: r.priority,
        match: { config: { srcIpRanges: r.srcIpRanges }, versionedExpr: r.versionedExpr, expr: r.expr === undefined ? undefined : { expression: r.expr } },
        otherFields: r.extras,
      })),
    },
  };
}

/** Why a live rule is not one this tool would have written, or undefined when it is. */
export function foreignReason(rule: PolicyRuleView): string | undefined {
  const reasons: string[] = [];
  if (rule.priority === DEFAULT_RULE_PRIORITY) return undefined; // every policy has one; we always manage it
  if (rule.action !== 'allow') reasons.push(`action ${rule.action}`);
  if (rule.expr !== undefined) reasons.push('an expression match');
  if (rule.versionedExpr !== undefined && rule.versionedExpr !== 'SRC_IPS_V1') reasons.push(`versionedExpr ${rule.versionedExpr}`);
  if (rule.extras.length > 0) reasons.push(rule.extras.map((e) => e.split(':')[0]).join(', '));
  if (parseRuleDescription(rule.description) === undefined) reasons.push(`a description this tool does not write (${JSON.stringify(rule.description)})`);
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}
