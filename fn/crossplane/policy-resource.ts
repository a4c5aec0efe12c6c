// The composed policy under Crossplane, per output target: its composition resource name, when it is
// ready, and the XR's PolicySynced condition.
//
// Config Connector (ComputeSecurityPolicy): ready when its Ready condition is True; Config Connector
// reports apply errors through Ready=False (UpdateFailed...).
// provider-gcp (managed resource): Crossplane's two conditions. Synced=False means the provider could
// not apply the spec (ReconcileError, with the API's message); Ready=True means the external policy
// exists and is available. The policy is ready on Ready=True; PolicySynced needs both and the desired
// rules observed.
//
// The two targets use different composition resource names on purpose: a target switch is then a
// delete of the one object and a create of the other, which Crossplane can see, instead of a kind
// change under one name (docs/crossplane-targets.md says how to switch without a gap).
import { isPolicyManifest, policyTarget, type KubeObject, type TargetName, type TargetOptions } from '../core';
import { ConditionStatus } from './proto';
import type { FnResource, JsonObject } from './wire';

export const SYNCED_CONDITION = 'PolicySynced';
/** Stable names: renaming one would make Crossplane delete and recreate the Cloud Armor policy. */
export const POLICY_RESOURCE_NAMES: Record<TargetName, string> = {
  configconnector: 'security-policy',
  upbound: 'provider-gcp-security-policy',
};

export interface FnCondition { type: string; status: number; reason: string; message?: string }

export function policyResourceName(target: TargetOptions): string {
  return POLICY_RESOURCE_NAMES[policyTarget(target).name];
}

/** The generated policy object (either target), as opposed to an attachment. */
export function isPolicyObject(obj: KubeObject): boolean {
  return isPolicyManifest(obj);
}

function condition(obj: JsonObject | undefined, type: string): { status?: string; reason?: string; message?: string } {
  const conditions = (obj?.status as JsonObject | undefined)?.conditions;
  if (!Array.isArray(conditions)) return {};
  const c = conditions.find((x) => x && typeof x === 'object' && !Array.isArray(x) && x.type === type) as JsonObject | undefined;
  return {
    status: typeof c?.status === 'string' ? c.status : undefined,
    reason: typeof c?.reason === 'string' ? c.reason : undefined,
    message: typeof c?.message === 'string' ? c.message : undefined,
  };
}

/** Ready from the policy's own Ready condition (both targets name it Ready). */
export function isPolicyReady(observed: FnResource | undefined): boolean {
  return condition(observed?.resource, 'Ready').status === 'True';
}

function ruleKeys(rules: unknown): string[] {
  if (!Array.isArray(rules)) return [];
  return rules.map((r) => {
    const rule = (r ?? {}) as { priority?: unknown; action?: unknown; preview?: unknown; match?: { config?: { srcIpRanges?: unknown } } };
    const ranges = Array.isArray(rule.match?.config?.srcIpRanges) ? (rule.match!.config!.srcIpRanges as unknown[]).map(String).sort() : [];
    return JSON.stringify([Number(rule.priority), String(rule.action), rule.preview === true, ranges]);
  }).sort();
}

/**
 * The rules the controller reports Google Cloud has. provider-gcp copies them into
 * status.atProvider.rule; its spec only says what was asked. Config Connector has no such copy: its
 * Ready=True (UpToDate) is the statement that the spec is applied.
 */
function observedRules(target: TargetName, observed: JsonObject): unknown {
  if (target === 'upbound') {
    const at = ((observed.status as JsonObject | undefined)?.atProvider as JsonObject | undefined)?.rule;
    if (Array.isArray(at)) return at;
  }
  return policyTarget({ target }).rulesOf(observed);
}

/** PolicySynced: True when the controller reports the policy applied and Ready with exactly the desired rules. */
export function policySyncedCondition(target: TargetOptions, policy: KubeObject, observed: FnResource | undefined, policyName: string): FnCondition {
  const shape = policyTarget(target);
  const what = `${shape.kind} ${policyName}`;
  if (!observed?.resource) {
    return { type: SYNCED_CONDITION, status: ConditionStatus.FALSE, reason: 'Creating', message: `${what} is not observed yet` };
  }
  const want = ruleKeys(shape.rulesOf(policy));
  const have = ruleKeys(observedRules(shape.name, observed.resource));
  if (want.length !== have.length || want.some((k, i) => k !== have[i])) {
    return { type: SYNCED_CONDITION, status: ConditionStatus.FALSE, reason: 'Updating', message: `${what}: the observed rules differ from the desired ones; waiting for them to be applied` };
  }
  if (shape.name === 'upbound') {
    const synced = condition(observed.resource, 'Synced');
    if (synced.status !== 'True') {
      return { type: SYNCED_CONDITION, status: ConditionStatus.FALSE, reason: 'Reconciling', message: `${what} is not Synced${synced.reason ? ` (${synced.reason})` : ''}${synced.message ? `: ${synced.message}` : ''}` };
    }
  }
  const ready = condition(observed.resource, 'Ready');
  if (ready.status !== 'True') {
    return { type: SYNCED_CONDITION, status: ConditionStatus.FALSE, reason: 'Reconciling', message: `${what} is not Ready${ready.message ? `: ${ready.message}` : ''}` };
  }
  return { type: SYNCED_CONDITION, status: ConditionStatus.TRUE, reason: 'Synced', message: `Cloud Armor policy ${policyName} has the ${want.length} desired rules` };
}
