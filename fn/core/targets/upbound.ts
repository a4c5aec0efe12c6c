// Target `upbound`: provider-gcp's namespaced managed resource compute.gcp.m.upbound.io/v1beta1
// SecurityPolicy (Upbound's provider-gcp-compute, crossplane-contrib's provider-upjet-gcp), as its CRD
// has it: rules under spec.forProvider.rule[], each with match.config.srcIpRanges and
// match.versionedExpr (nested blocks are objects in this CRD version, not one-item lists), the
// Cloud Armor name in the crossplane.io/external-name annotation, the project from the ProviderConfig
// unless spec.policy.projectID sets forProvider.project.
import type { KubeObject } from '../manifests';
import type { PolicyTarget, ProviderConfigRef } from './types';

export const UPBOUND_API_VERSION = 'compute.gcp.m.upbound.io/v1beta1';
export const UPBOUND_KIND = 'SecurityPolicy';
export const EXTERNAL_NAME_ANNOTATION = 'crossplane.io/external-name';

export function upboundTarget(providerConfigRef?: ProviderConfigRef): PolicyTarget {
  return {
    name: 'upbound',
    apiVersion: UPBOUND_API_VERSION,
    kind: UPBOUND_KIND,
    policy(p) {
      const metadata: KubeObject['metadata'] = { name: p.name };
      if (p.namespace) metadata.namespace = p.namespace;
      metadata.annotations = { [EXTERNAL_NAME_ANNOTATION]: p.name };
      const forProvider: Record<string, unknown> = { description: p.description };
      if (p.projectID) forProvider.project = p.projectID;
      forProvider.rule = p.rules;
      forProvider.type = p.type;
      const spec: Record<string, unknown> = { forProvider };
      // Without a reference the CRD defaults to ClusterProviderConfig "default".
      if (providerConfigRef) spec.providerConfigRef = { kind: providerConfigRef.kind, name: providerConfigRef.name };
      return { apiVersion: UPBOUND_API_VERSION, kind: UPBOUND_KIND, metadata, spec };
    },
    rulesOf(policy) {
      const rules = (policy as { spec?: { forProvider?: { rule?: unknown } } } | null | undefined)?.spec?.forProvider?.rule;
      return Array.isArray(rules) ? rules : undefined;
    },
  };
}

/** True for provider-gcp's SecurityPolicy, which shares its kind with this project's input. */
export function isUpboundPolicy(obj: unknown): boolean {
  const o = obj as { apiVersion?: unknown; kind?: unknown } | null | undefined;
  return o?.kind === UPBOUND_KIND && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('compute.gcp.m.upbound.io/');
}
