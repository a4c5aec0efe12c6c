// The Kubernetes objects the function emits: the Config Connector ComputeSecurityPolicy and the
// optional GKE attachments that point a load balancer's backends at it.
import type { PolicyRule } from './rules';

export const KCC_API_VERSION = 'compute.cnrm.cloud.google.com/v1beta1';
export const PROJECT_ANNOTATION = 'cnrm.cloud.google.com/project-id';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
};

export interface PolicyManifestInput {
  name: string;
  namespace?: string;
  projectID?: string;
  type: string;
  description: string;
  rules: PolicyRule[];
}

export function computeSecurityPolicy(p: PolicyManifestInput): KubeObject {
  const metadata: KubeObject['metadata'] = { name: p.name };
  if (p.namespace) metadata.namespace = p.namespace;
  if (p.projectID) metadata.annotations = { [PROJECT_ANNOTATION]: p.projectID };
  return {
    apiVersion: KCC_API_VERSION,
    kind: 'ComputeSecurityPolicy',
    metadata,
    spec: { description: p.description, resourceID: p.name, rule: p.rules, type: p.type },
  };
}

/** GKE Ingress: BackendConfig spec.securityPolicy.name. */
export function backendConfig(name: string, namespace: string | undefined, policyName: string): KubeObject {
  return {
    apiVersion: 'cloud.google.com/v1',
    kind: 'BackendConfig',
    metadata: namespace ? { name, namespace } : { name },
    spec: { securityPolicy: { name: policyName } },
  };
}

/** GKE Gateway: GCPBackendPolicy spec.default.securityPolicy. */
export function gcpBackendPolicy(
  name: string,
  namespace: string | undefined,
  targetRef: { group: string; kind: string; name: string; namespace?: string },
  policyName: string,
): KubeObject {
  const ref: Record<string, string> = { group: targetRef.group, kind: targetRef.kind, name: targetRef.name };
  if (targetRef.namespace) ref.namespace = targetRef.namespace;
  return {
    apiVersion: 'networking.gke.io/v1',
    kind: 'GCPBackendPolicy',
    metadata: namespace ? { name, namespace } : { name },
    spec: { default: { securityPolicy: policyName }, targetRef: ref },
  };
}

const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Points a BackendConfig / GCPBackendPolicy the team already wrote at the policy: only the security
 * policy field is set (and a GCPBackendPolicy's targetRef when it has none); health checks, timeouts and
 * everything else stay as written. A shallow copy along the changed path: other values are shared, not
 * cloned, so whatever they hold (numbers kept as written, for one) survives.
 */
export function attachToExisting<T extends object>(existing: T, generated: KubeObject): T {
  const spec = record((existing as { spec?: unknown }).spec);
  const wanted = record(generated.spec);
  const merged = generated.kind === 'BackendConfig'
    ? { ...spec, securityPolicy: { ...record(spec.securityPolicy), ...record(wanted.securityPolicy) } }
    : { ...spec, default: { ...record(spec.default), ...record(wanted.default) }, ...(spec.targetRef ? {} : { targetRef: wanted.targetRef }) };
  return { ...existing, spec: merged };
}
