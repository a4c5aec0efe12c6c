// What to do with a resource an earlier pipeline step already desired under a composition resource name
// this function uses. Crossplane hands each function the desired state of the steps before it; replacing
// an entry would silently drop that step's fields (a BackendConfig's timeoutSec, its CDN settings) or
// carry its connection details onto another object. So:
//   - the same attachment (group, kind, namespace, name): patched like the KRM path patches a hand-written
//     one (attachToExisting): only the security policy field is set; its other fields, its connection
//     details and the readiness that step gave it stay;
//   - the very object this function generates: kept (nothing to merge);
//   - anything else (another kind, another object, a different ComputeSecurityPolicy): a conflict. The
//     caller answers Fatal rather than choosing between the two steps: Crossplane then applies nothing
//     and keeps what it applied before, which is safer than either silently replacing the other step's
//     resource or silently leaving the allowlist unattached.
import { isDeepStrictEqual } from 'node:util';
import { attachToExisting, type KubeObject } from '../core';
import type { FnResource, JsonObject } from './wire';

export type Placement =
  | { ok: true; resource: JsonObject; earlier?: FnResource; warnings: string[] }
  | { ok: false; conflict: string };

const record = (v: unknown): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});
const group = (apiVersion: unknown): string => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

function describeObject(obj: JsonObject, xrNamespace: string): string {
  const meta = record(obj.metadata);
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : xrNamespace;
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : '(no name)';
  const kind = typeof obj.kind === 'string' && obj.kind !== '' ? obj.kind : '(no kind)';
  return `${typeof obj.apiVersion === 'string' ? `${obj.apiVersion} ` : ''}${kind} ${ns ? `${ns}/` : ''}${name}`;
}

/** Same Kubernetes object: group, kind, name, and namespace (a missing one is the XR's). */
function sameObject(a: JsonObject, b: JsonObject, xrNamespace: string): boolean {
  const ma = record(a.metadata);
  const mb = record(b.metadata);
  const ns = (m: JsonObject) => (typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : xrNamespace);
  return group(a.apiVersion) === group(b.apiVersion) && a.kind === b.kind && typeof ma.name === 'string' && ma.name === mb.name && ns(ma) === ns(mb);
}

/** The value of the field this function owns in an attachment, and its targetRef (GCPBackendPolicy). */
function owned(obj: JsonObject): { policy: unknown; targetRef: unknown } {
  const spec = record(obj.spec);
  return obj.kind === 'BackendConfig'
    ? { policy: record(spec.securityPolicy).name, targetRef: undefined }
    : { policy: record(spec.default).securityPolicy, targetRef: spec.targetRef };
}

/** Decides how `generated` goes under `name` given what an earlier step desired there (if anything). */
export function placeGenerated(name: string, generated: KubeObject, earlier: FnResource | undefined, xrNamespace: string): Placement {
  const ours = generated as unknown as JsonObject;
  const theirs = earlier?.resource;
  if (!theirs || Object.keys(theirs).length === 0) return { ok: true, resource: ours, warnings: [] };
  if (isDeepStrictEqual(theirs, ours)) return { ok: true, resource: ours, earlier, warnings: [] };

  const isAttachment = generated.kind === 'BackendConfig' || generated.kind === 'GCPBackendPolicy';
  if (!isAttachment || !sameObject(theirs, ours, xrNamespace)) {
    return {
      ok: false,
      conflict: `desired resource ${JSON.stringify(name)}: an earlier pipeline step already desires ${describeObject(theirs, xrNamespace)} under this name, ` +
        `where this function composes ${describeObject(ours, xrNamespace)}; it neither replaces nor merges another step's resource. ` +
        'Rename that step\'s resource or remove it from the pipeline',
    };
  }

  const warnings: string[] = [];
  const before = owned(theirs);
  const wanted = owned(ours);
  const what = describeObject(ours, xrNamespace);
  if (before.policy !== undefined && !isDeepStrictEqual(before.policy, wanted.policy)) {
    warnings.push(`${what}: an earlier pipeline step pointed it at security policy ${JSON.stringify(before.policy)}; this function points it at ${JSON.stringify(wanted.policy)}`);
  }
  if (before.targetRef !== undefined && !isDeepStrictEqual(before.targetRef, wanted.targetRef)) {
    warnings.push(`${what}: an earlier pipeline step set targetRef ${JSON.stringify(before.targetRef)}, which is kept; spec.attach asks for ${JSON.stringify(wanted.targetRef)}`);
  }
  return { ok: true, resource: attachToExisting(theirs, generated), earlier, warnings };
}
