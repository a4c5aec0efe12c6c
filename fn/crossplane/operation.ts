// The function as an operation function (Crossplane Operations, ops.crossplane.io/v1alpha1, alpha,
// `--enable-operations`): a WatchOperation on Nodes runs it with the changed Node as the required
// resource `ops.crossplane.io/watched-resource`. It sets the `crossplane.io/reconcile-requested-at`
// annotation (Crossplane v2.3 and later reconcile an XR at once when its value changes) on exactly the
// SecurityPolicy XRs whose policy the change can alter:
//   - an entry's selector matches the Node's new labels, and what the Node contributes (its name,
//     readiness, addresses of the entry's types) differs from what the XR recorded at its last render
//     (status.nodes, node-record.ts), or
//   - the XR recorded the Node for an entry (its old labels matched) and it no longer matches, or it
//     was deleted.
// A Node heartbeat, or a change to a label no selector reads, requests nothing. An XR whose record is
// missing or truncated (rendered by an older version, more than MAX_RECORDED Nodes) is asked to
// reconcile on every Node change: the function never guesses that a change is irrelevant.
//
// The XRs come as the required resource `securitypolicies`: declared by the Operation's pipeline step
// (`requirements.requiredResources`, which also lets a platform team name its own XR group), or asked
// for by the function on its first call (apiVersion security.example.org/v1alpha1, kind
// SecurityPolicy, every namespace). Crossplane applies the returned resources with server-side apply;
// each is a partial XR with only that annotation (and the XR's uid, so that an XR deleted meanwhile is
// not recreated empty). `output` lists what was requested, for the Operation's status.pipeline.
import { API_VERSION, parseSecurityPolicy, type NodeLike } from '../core';
import { fingerprintNodeName, nodeFingerprint, readRecords } from './node-record';
import { Severity } from './proto';
import type { FnRequest, FnResource, JsonObject } from './wire';

export const WATCHED_RESOURCE = 'ops.crossplane.io/watched-resource';
export const XR_REQUIREMENT = 'securitypolicies';
export const RECONCILE_REQUESTED_AT = 'crossplane.io/reconcile-requested-at';
/** The resourceVersion Crossplane gives the synthetic copy of a watched resource that was deleted. */
export const SYNTHETIC_DELETED = 'ops.crossplane.io/synthetic-deleted';

export interface ResourceSelector {
  api_version: string;
  kind: string;
  match_labels: { labels: Record<string, string> };
}

export interface OperationResult {
  results: Array<{ severity: number; message: string; reason?: string }>;
  /** Partial XRs to apply, by desired resource name. */
  resources: Record<string, FnResource>;
  requirements?: Record<string, ResourceSelector>;
  output?: JsonObject;
  outcome: 'fatal' | 'waiting-for-xrs' | 'requested';
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const record = (v: unknown): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** An operation request: no composite (Crossplane never sets one for operations), a watched resource. */
export function isOperationRequest(req: FnRequest): boolean {
  const xr = req.observed?.composite?.resource;
  return (!xr || Object.keys(xr).length === 0) && (own(req.required_resources, WATCHED_RESOURCE) || own(req.extra_resources, WATCHED_RESOURCE));
}

function supplied(req: FnRequest, key: string): FnResource[] | undefined {
  if (own(req.required_resources, key)) return req.required_resources[key];
  if (own(req.extra_resources, key)) return req.extra_resources[key];
  return undefined;
}

function fatal(message: string): OperationResult {
  return { results: [{ severity: Severity.FATAL, message, reason: 'InvalidRequest' }], resources: {}, outcome: 'fatal' };
}

export function runOperation(req: FnRequest): OperationResult {
  const watched = supplied(req, WATCHED_RESOURCE)?.[0]?.resource;
  if (!watched) return fatal(`the required resource ${WATCHED_RESOURCE} is empty: run this function from a WatchOperation on Nodes`);
  if (watched.kind !== 'Node' || (watched.apiVersion !== undefined && watched.apiVersion !== 'v1')) {
    return fatal(`the watched resource is a ${text(watched.apiVersion)} ${text(watched.kind) || '(no kind)'}; watch apiVersion v1, kind Node`);
  }
  const meta = record(watched.metadata);
  const nodeName = text(meta.name);
  if (!nodeName) return fatal('the watched Node has no metadata.name');

  const xrs = supplied(req, XR_REQUIREMENT);
  if (!xrs) {
    return {
      results: [],
      resources: {},
      requirements: { [XR_REQUIREMENT]: { api_version: API_VERSION, kind: 'SecurityPolicy', match_labels: { labels: {} } } },
      outcome: 'waiting-for-xrs',
    };
  }

  const deleted = text(meta.resourceVersion) === SYNTHETIC_DELETED || meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
  const node = watched as unknown as NodeLike;
  // The token only has to change with each Node change: the resourceVersion does; a deleted Node's
  // synthetic version does not, so its uid (new for a Node recreated under the same name) is used.
  const token = deleted ? `${nodeName}@deleted:${text(meta.uid)}` : `${nodeName}@${text(meta.resourceVersion)}`;

  const results: OperationResult['results'] = [];
  const resources: Record<string, FnResource> = {};
  const requested: string[] = [];
  const sorted = xrs.map((x) => x.resource).filter((x): x is JsonObject => !!x)
    .sort((a, b) => compare(xrKey(a), xrKey(b)));
  for (const xr of sorted) {
    const parsed = parseSecurityPolicy(xr);
    const key = xrKey(xr);
    if (!parsed.ok) {
      results.push({ severity: Severity.WARNING, message: `SecurityPolicy ${key} is invalid and was skipped (its own reconcile reports why)` });
      continue;
    }
    const entries = parsed.policy.spec.nodes ?? [];
    if (entries.length === 0) continue;
    const records = readRecords(record(xr.status));
    const relevant = entries.some((entry) => {
      const rec = records?.get(entry.name);
      if (!rec?.matched) return true; // unknown past: never assume the change is irrelevant
      const before = rec.matched.find((f) => fingerprintNodeName(f) === nodeName);
      const now = deleted ? undefined : nodeFingerprint(entry, node);
      return before !== now;
    });
    if (!relevant) continue;
    const xrMeta = record(xr.metadata);
    const metadata: JsonObject = { name: text(xrMeta.name), annotations: { [RECONCILE_REQUESTED_AT]: token } };
    if (text(xrMeta.namespace)) metadata.namespace = text(xrMeta.namespace);
    if (text(xrMeta.uid)) metadata.uid = text(xrMeta.uid);
    resources[`reconcile.${key.replace('/', '.')}`] = {
      resource: { apiVersion: xr.apiVersion ?? API_VERSION, kind: xr.kind ?? 'SecurityPolicy', metadata },
      connection_details: {},
      ready: 0,
    };
    requested.push(key);
  }
  return {
    results,
    resources,
    output: { node: nodeName, deleted, token, reconcileRequested: requested },
    outcome: 'requested',
  };
}

function xrKey(xr: JsonObject): string {
  const m = record(xr.metadata);
  return `${text(m.namespace)}/${text(m.name)}`;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
