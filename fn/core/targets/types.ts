// One output target is one manifest shape for the same Cloud Armor policy. The core generates the
// rules once (rules.ts); a target only decides where they go in which object.
import type { KubeObject, PolicyManifestInput } from '../manifests';
import type { PolicyRule } from '../rules';

/** The output targets, in the order the docs list them; the first is the default. */
export const TARGET_NAMES = ['configconnector', 'upbound'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];
export const DEFAULT_TARGET: TargetName = 'configconnector';

/** A Crossplane v2 managed resource's `spec.providerConfigRef` (namespaced MRs name the kind too). */
export interface ProviderConfigRef {
  kind: 'ProviderConfig' | 'ClusterProviderConfig';
  name: string;
}

/** What a platform team chooses once per Composition, KRM functionConfig or CLI run. */
export interface TargetOptions {
  target?: TargetName;
  /** upbound only: which ProviderConfig the managed resource uses (the project comes from it). */
  providerConfigRef?: ProviderConfigRef;
}

export interface PolicyTarget {
  name: TargetName;
  apiVersion: string;
  kind: string;
  /** The policy object of this shape. */
  policy(p: PolicyManifestInput): KubeObject;
  /** The rule list of a policy object of this shape (desired or observed); undefined when absent. */
  rulesOf(policy: unknown): unknown[] | undefined;
}
