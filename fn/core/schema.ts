// The SecurityPolicy v1alpha1 API (docs/contract.md) as a zod schema.
// Validation returns findings that name the field path and the value; it never throws.
import * as z from 'zod';
import { capFindings, error, formatPath, listSome, quote, type Finding } from './findings';
import { prototypeKeyFindings } from './prototype-keys';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const DEFAULT_ACTIONS = ['deny(403)', 'deny(404)', 'deny(502)', 'allow'] as const;
export const POLICY_TYPES = ['CLOUD_ARMOR', 'CLOUD_ARMOR_EDGE'] as const;
export const ADDRESS_TYPES = ['ExternalIP', 'InternalIP', 'Hostname', 'ExternalDNS', 'InternalDNS'] as const;
export const DEFAULT_MAX_RULES = 200; // the per-project SECURITY_POLICY_RULES quota most projects start with

const dnsLabel = z.string().max(63).regex(DNS_LABEL, 'must be a DNS label: lowercase letters, digits and "-", 1-63 characters');
// Kubernetes object names (RFC 1123 subdomains) and namespaces (RFC 1123 labels): a namespace holds no
// dot, so `kind.namespace.name` can never be read two ways (a.b in c, and b in c.a).
const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const k8sName = z.string().min(1).max(253).regex(RFC1123_SUBDOMAIN, 'must be an RFC 1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters');
const k8sNamespace = z.string().min(1).max(63).regex(DNS_LABEL, 'must be an RFC 1123 label (a namespace): lowercase letters, digits and "-", 1-63 characters');

const labelSelector = z
  .object({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z
      .array(
        z
          .object({
            key: z.string().min(1),
            operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
            values: z.array(z.string()).optional(),
          })
          .strict()
          .superRefine((e, ctx) => {
            const needsValues = e.operator === 'In' || e.operator === 'NotIn';
            const n = e.values?.length ?? 0;
            if (needsValues && n === 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `must be non-empty for operator ${e.operator}` });
            if (!needsValues && n > 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `must be empty for operator ${e.operator}` });
          }),
      )
      .optional(),
  })
  .strict();

const source = z
  .object({
    name: dnsLabel,
    description: z.string().optional(),
    cidrs: z.array(z.string()),
  })
  .strict();

const nodesEntry = z
  .object({
    name: dnsLabel,
    description: z.string().optional(),
    selector: labelSelector.optional(),
    addressTypes: z.array(z.enum(ADDRESS_TYPES)).min(1).optional(),
    includeNotReady: z.boolean().optional(),
    whenNoNodes: z.enum(['Remove', 'Keep']).optional(),
    // With fewer matching Nodes, the entry keeps its previous addresses (as Keep) beside the current ones.
    minNodes: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

const backendConfigRef = z.object({ name: k8sName, namespace: k8sNamespace.optional() }).strict();
const gcpBackendPolicyRef = z
  .object({
    name: k8sName,
    namespace: k8sNamespace.optional(),
    targetRef: z.object({ group: z.string(), kind: z.string().min(1), name: k8sName, namespace: k8sNamespace.optional() }).strict(),
  })
  .strict();

// Keys Crossplane itself writes into an XR's spec (v2 under spec.crossplane, v1 at the top level).
const crossplaneKeys = Object.fromEntries(
  [
    'crossplane', 'compositionRef', 'compositionSelector', 'compositionRevisionRef', 'compositionRevisionSelector',
    'compositionUpdatePolicy', 'resourceRefs', 'writeConnectionSecretToRef', 'publishConnectionDetailsTo', 'claimRef',
    'environmentConfigRefs',
  ].map((k) => [k, z.unknown().optional()]),
);

export const securityPolicySpec = z
  .object({
    policy: z
      .object({
        name: z.string().max(63).regex(RFC1035, 'must be an RFC 1035 name: a lowercase letter, then lowercase letters, digits or "-", 1-63 characters, not ending in "-"').optional(),
        projectID: z.string().min(1).optional(),
        type: z.enum(POLICY_TYPES).optional(),
        description: z.string().max(2048).optional(),
      })
      .strict()
      .optional(),
    defaultAction: z.enum(DEFAULT_ACTIONS).optional(),
    preview: z.boolean().optional(),
    sources: z.array(source).optional(),
    nodes: z.array(nodesEntry).optional(),
    attach: z
      .object({
        backendConfigs: z.array(backendConfigRef).optional(),
        gcpBackendPolicies: z.array(gcpBackendPolicyRef).optional(),
      })
      .strict()
      .optional(),
    // At most one priority band (10,000 rules, see priorities.ts): no entry can then outgrow its band.
    limits: z.object({ maxRules: z.number().int().min(1).max(10_000).optional() }).strict().optional(),
    allowBroadRanges: z.boolean().optional(),
    ...crossplaneKeys,
  })
  .strict();

export const securityPolicy = z.object({
  apiVersion: z.string().regex(/^([a-z0-9.-]+\/)?v[0-9a-z]+$/, 'must be group/version'),
  kind: z.literal('SecurityPolicy'),
  metadata: z
    .object({ name: z.string().min(1).optional(), namespace: z.string().optional() })
    .passthrough(),
  spec: securityPolicySpec,
});

export type SecurityPolicySpec = z.infer<typeof securityPolicySpec>;
export type SecurityPolicyObject = z.infer<typeof securityPolicy>;
export type LabelSelector = z.infer<typeof labelSelector>;
export type NodesEntry = z.infer<typeof nodesEntry>;

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p as string];
  }
  return cur;
}

function describeValue(v: unknown): string {
  return v === undefined ? '' : quote(v);
}

/** Validates a SecurityPolicy object; errors name the field path and the value found there. */
export function parseSecurityPolicy(obj: unknown): { ok: true; policy: SecurityPolicyObject } | { ok: false; findings: Finding[] } {
  // Before zod: its records and passthrough objects drop a `__proto__` key silently.
  const prototypeKeys = prototypeKeyFindings(obj);
  if (prototypeKeys.length > 0) return { ok: false, findings: prototypeKeys };
  const result = securityPolicy.safeParse(obj);
  if (result.success) {
    const duplicates = duplicateNames(result.data.spec);
    if (duplicates.length > 0) return { ok: false, findings: capFindings(duplicates) };
    return { ok: true, policy: result.data };
  }
  const findings = result.error.issues.slice(0, 1_000).map((issue) => {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      return error(`unknown field${keys.length > 1 ? 's' : ''} ${listSome(keys.map((k) => quote(k)))}`, formatPath([...path, keys[0]!]));
    }
    const value = valueAt(obj, path);
    const shown = value === undefined ? 'is missing' : `${describeValue(value)} is invalid`;
    return error(`${shown}: ${issue.message}`, formatPath(path), value);
  });
  // Past the first 1,000 issues only their number matters (capFindings lists 100 and counts the rest).
  return { ok: false, findings: capFindings(findings, Math.max(0, result.error.issues.length - 1_000)) };
}

function duplicateNames(spec: SecurityPolicySpec): Finding[] {
  const seen = new Map<string, string>();
  const findings: Finding[] = [];
  const visit = (name: string, field: string) => {
    const first = seen.get(name);
    if (first) findings.push(error(`duplicate name ${quote(name)}: already used by ${first}; names must be unique among sources and nodes`, field, name));
    else seen.set(name, field);
  };
  spec.sources?.forEach((s, i) => visit(s.name, `spec.sources[${i}].name`));
  spec.nodes?.forEach((n, i) => visit(n.name, `spec.nodes[${i}].name`));
  return findings;
}
