// The output targets behind one interface: render() asks policyTarget() for the shape and hands it
// the rules it generated once.
import { configConnectorTarget } from './configconnector';
import { upboundTarget } from './upbound';
import { DEFAULT_TARGET, type PolicyTarget, type TargetOptions } from './types';

export * from './types';
export { configConnectorTarget } from './configconnector';
export { EXTERNAL_NAME_ANNOTATION, UPBOUND_API_VERSION, UPBOUND_KIND, isUpboundPolicy, upboundTarget } from './upbound';

export function policyTarget(options: TargetOptions = {}): PolicyTarget {
  switch (options.target ?? DEFAULT_TARGET) {
    case 'upbound': return upboundTarget(options.providerConfigRef);
    default: return configConnectorTarget;
  }
}

/** The rules of a policy object of either shape: previous policies may come from either target. */
export function policyRules(policy: unknown): unknown[] | undefined {
  return configConnectorTarget.rulesOf(policy) ?? upboundTarget().rulesOf(policy);
}

/** A generated policy object of either target (as opposed to an attachment or anything else). */
export function isPolicyManifest(obj: { apiVersion?: unknown; kind?: unknown } | null | undefined): boolean {
  return [configConnectorTarget, upboundTarget()].some((t) => obj?.apiVersion === t.apiVersion && obj?.kind === t.kind);
}
