// RunFunction: a decoded request in, a response out. Pure translation between Crossplane's protocol
// and the core's render(); no rule of generation lives here.
import { describe, parseFunctionInput, parseSecurityPolicy, render, type Finding, type KubeObject } from '../core';
import { ConditionStatus, Ready, Severity } from './proto';
import { placeGenerated, type Placement } from './earlier-steps';
import { recordNodes, recordsToJson } from './node-record';
import { isOperationRequest, runOperation, type ResourceSelector } from './operation';
import { isPolicyObject, isPolicyReady, POLICY_RESOURCE_NAMES, policyResourceName, policySyncedCondition, SYNCED_CONDITION, type FnCondition } from './policy-resource';
import { nodeRequirements, suppliedNodes, usesRequiredResources, type NodeSelector } from './requirements';
import { staticNodes } from './static-nodes';
import type { FnRequest, FnResource, FnState, JsonObject } from './wire';

/** Composition resource name of the ComputeSecurityPolicy (stable: renaming it would recreate the policy). */
export const POLICY_RESOURCE = POLICY_RESOURCE_NAMES.configconnector;
/** Type of the XR condition that tells whether the policy in Google Cloud matches the spec. */
export { SYNCED_CONDITION, type FnCondition };

export interface FnResult { severity: number; message: string; reason?: string }

export interface FnResponse {
  meta: { tag: string; ttl?: { seconds: number; nanos: number } };
  desired: FnState;
  results: FnResult[];
  context?: JsonObject;
  requirements?: { extra_resources?: Record<string, NodeSelector | ResourceSelector>; resources?: Record<string, NodeSelector | ResourceSelector> };
  conditions: FnCondition[];
  /** Operations only: written to the Operation's status.pipeline[].output. */
  output?: JsonObject;
}

export interface RunOptions {
  /** meta.ttl of every response, in milliseconds. */
  ttlMs: number;
}

/** What happened, for the debug log. */
export interface RunSummary {
  outcome: 'fatal' | 'waiting-for-nodes' | 'rendered' | 'waiting-for-xrs' | 'requested';
  nodes?: number;
  warnings?: number;
  errors?: number;
}

export function runFunction(req: FnRequest, opts: RunOptions): { response: FnResponse; summary: RunSummary } {
  const desired: FnState = { composite: req.desired?.composite, resources: { ...(req.desired?.resources ?? {}) } };
  const response: FnResponse = { meta: { tag: req.meta.tag, ttl: ttl(opts.ttlMs) }, desired, results: [], conditions: [] };
  if (req.context) response.context = req.context;

  // The step's input (Composition or Operation): validated like the XR, an error is Fatal and names
  // the field (input.spec.target).
  const input = parseFunctionInput(req.input);
  if (!input.ok) return invalid(response, input.findings, 'InvalidInput');

  if (isOperationRequest(req)) {
    const op = runOperation(req);
    response.results.push(...op.results);
    Object.assign(desired.resources, op.resources);
    if (op.requirements) response.requirements = { resources: op.requirements };
    if (op.output) response.output = op.output;
    return { response, summary: { outcome: op.outcome, errors: op.outcome === 'fatal' ? 1 : 0 } };
  }
  const target = input.options.target;
  if (input.options.ttlMs !== undefined) response.meta.ttl = ttl(input.options.ttlMs);

  const xr = req.observed?.composite?.resource;
  if (!xr || Object.keys(xr).length === 0) {
    return fatal(response, 'the request has no observed composite resource (observed.composite.resource)');
  }
  if (xr.kind !== 'SecurityPolicy') {
    return fatal(response, `the observed composite resource is ${describeKind(xr)}; this function composes a SecurityPolicy`);
  }

  const parsed = parseSecurityPolicy(xr);
  if (!parsed.ok) return invalid(response, parsed.findings);

  // Nodes the step declared (static requirements, `nodes`) are every Node: nothing to ask for.
  const declared = staticNodes(req);
  if (declared && 'error' in declared) return fatal(response, declared.error);
  const requirements = declared ? new Map<string, NodeSelector>() : nodeRequirements(parsed.policy.spec.nodes);
  if (requirements.size > 0) {
    const selectors = Object.fromEntries(requirements);
    response.requirements = usesRequiredResources(req) ? { resources: selectors } : { extra_resources: selectors };
  }
  const nodes = declared ? declared.nodes : requirements.size > 0 ? suppliedNodes(req, requirements.keys()) : [];
  if (!nodes) {
    // First call of the handshake: Crossplane fetches the Nodes and calls again. Nothing is
    // composed from an incomplete view; the desired state goes back as it came. Errors that no set
    // of Nodes can cure (a bad CIDR, a bad name; a rule count already over the limit without any
    // Node) are reported now rather than after fetching every Node of the cluster.
    const dry = render({ securityPolicy: xr, nodes: [], target });
    const errors = dry.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) return invalid(response, errors);
    return { response, summary: { outcome: 'waiting-for-nodes' } };
  }

  const observed = req.observed?.resources ?? {};
  const policyResource = policyResourceName(target);
  const out = render({ securityPolicy: xr, nodes, previousPolicy: observed[policyResource]?.resource, target });
  const errors = out.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0 || !out.status) return invalid(response, out.findings);
  response.results.push(...out.findings.map(toResult));

  const xrNamespace = typeof (xr.metadata as JsonObject | undefined)?.namespace === 'string' ? String((xr.metadata as JsonObject).namespace) : '';
  // Decide every placement before touching the desired state, so a conflict returns it as it came.
  const placed: Array<{ name: string; obj: KubeObject; placement: Extract<Placement, { ok: true }> }> = [];
  const conflicts: string[] = [];
  const byName = new Map<string, KubeObject>();
  for (const obj of out.objects) {
    const name = resourceName(obj);
    const taken = byName.get(name);
    if (taken) {
      conflicts.push(`desired resource ${JSON.stringify(name)}: both ${taken.kind} ${taken.metadata.namespace ?? ''}/${taken.metadata.name} and ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name} map to this name`);
      continue;
    }
    byName.set(name, obj);
    const placement = placeGenerated(name, obj, desired.resources[name], xrNamespace);
    if (placement.ok) placed.push({ name, obj, placement });
    else conflicts.push(placement.conflict);
  }
  if (conflicts.length > 0) return conflict(response, conflicts);

  for (const { name, obj, placement } of placed) {
    const earlier = placement.earlier;
    desired.resources[name] = {
      resource: placement.resource,
      // The same object an earlier step desired keeps that step's connection details and readiness.
      connection_details: earlier?.connection_details ?? {},
      ready: earlier && earlier.ready !== Ready.UNSPECIFIED ? earlier.ready : isReady(name, obj, observed[name]) ? Ready.TRUE : Ready.UNSPECIFIED,
    };
    for (const message of placement.warnings) response.results.push({ severity: Severity.WARNING, message });
    const ns = obj.metadata.namespace;
    if (xrNamespace && ns && ns !== xrNamespace) {
      response.results.push({
        severity: Severity.WARNING,
        message: `${obj.kind} ${ns}/${obj.metadata.name}: Crossplane composes a namespaced SecurityPolicy's resources in its own namespace ${xrNamespace}; it will be created there, not in ${ns}`,
      });
    }
  }

  const composite = desired.composite ?? { connection_details: {}, ready: Ready.UNSPECIFIED };
  const xrDesired: JsonObject = composite.resource ?? { apiVersion: xr.apiVersion ?? null, kind: xr.kind };
  const status = (xrDesired.status && typeof xrDesired.status === 'object' && !Array.isArray(xrDesired.status) ? xrDesired.status : {}) as JsonObject;
  // status.nodes: what each entry took from which Node, for the operation function (node-record.ts).
  xrDesired.status = { ...status, ...out.status, nodes: recordsToJson(recordNodes(parsed.policy.spec.nodes, nodes)) };
  desired.composite = { ...composite, resource: xrDesired };

  response.conditions.push(policySyncedCondition(target, out.objects[0]!, observed[policyResource], out.status.policyName));
  return {
    response,
    summary: { outcome: 'rendered', nodes: nodes.length, warnings: out.findings.filter((f) => f.severity === 'warning').length, errors: 0 },
  };
}

function ttl(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) };
}

function describeKind(obj: JsonObject): string {
  const kind = typeof obj.kind === 'string' && obj.kind !== '' ? obj.kind : '(no kind)';
  return `a ${typeof obj.apiVersion === 'string' ? `${obj.apiVersion} ` : ''}${kind}`;
}

function fatal(response: FnResponse, message: string): { response: FnResponse; summary: RunSummary } {
  response.results.push({ severity: Severity.FATAL, message, reason: 'InvalidRequest' });
  return { response, summary: { outcome: 'fatal', errors: 1 } };
}

/** Another pipeline step's resource where this function composes one: Fatal, the desired state untouched. */
function conflict(response: FnResponse, messages: readonly string[]): { response: FnResponse; summary: RunSummary } {
  for (const message of messages) response.results.push({ severity: Severity.FATAL, message, reason: 'ResourceConflict' });
  response.conditions.push({ type: SYNCED_CONDITION, status: ConditionStatus.FALSE, reason: 'ResourceConflict', message: messages[0]! });
  return { response, summary: { outcome: 'fatal', errors: messages.length } };
}

function invalid(response: FnResponse, findings: readonly Finding[], reason = 'InvalidSpec'): { response: FnResponse; summary: RunSummary } {
  response.results.push(...findings.map((f) => ({ ...toResult(f), ...(f.severity === 'error' ? { reason } : {}) })));
  const first = findings.find((f) => f.severity === 'error');
  response.conditions.push({
    type: SYNCED_CONDITION,
    status: ConditionStatus.FALSE,
    reason,
    message: first ? describe(first) : 'the SecurityPolicy is invalid',
  });
  return { response, summary: { outcome: 'fatal', errors: findings.filter((f) => f.severity === 'error').length } };
}

function toResult(f: Finding): FnResult {
  switch (f.severity) {
    case 'error': return { severity: Severity.FATAL, message: describe(f), reason: 'InvalidSpec' };
    case 'warning': return { severity: Severity.WARNING, message: describe(f) };
    default: return { severity: Severity.NORMAL, message: describe(f) };
  }
}

/** Stable composition resource names: the policy, then one per attachment kind/namespace/name. */
export function resourceName(obj: KubeObject): string {
  if (isPolicyObject(obj)) return obj.kind === 'ComputeSecurityPolicy' ? POLICY_RESOURCE_NAMES.configconnector : POLICY_RESOURCE_NAMES.upbound;
  // `kind.namespace.name`, read as: up to the first dot, up to the second dot, the rest. A valid namespace
  // (a DNS label) holds no dot or "%", so its name is unchanged; any other namespace has its "%" and "."
  // escaped, which keeps the mapping one-to-one (namespace c.a/name b and namespace c/name a.b differ).
  const namespace = (obj.metadata.namespace ?? '').replace(/%/g, '%25').replace(/\./g, '%2E');
  return `${obj.kind.toLowerCase()}.${namespace}.${obj.metadata.name}`;
}

/**
 * The policy is ready on its Ready condition (policy-resource.ts). BackendConfig and GCPBackendPolicy
 * have no Ready condition; they are ready once they are observed to exist.
 */
function isReady(name: string, desired: KubeObject, observed: FnResource | undefined): boolean {
  if (!observed?.resource) return false;
  if (isPolicyObject(desired)) return isPolicyReady(observed);
  return true;
}
