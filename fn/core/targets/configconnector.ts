// Target `configconnector` (the default): Config Connector's ComputeSecurityPolicy, rules in spec.rule,
// the Cloud Armor name in spec.resourceID and the project in the cnrm.cloud.google.com/project-id
// annotation (without it Config Connector uses the namespace's project).
import { computeSecurityPolicy, KCC_API_VERSION } from '../manifests';
import type { PolicyTarget } from './types';

export const configConnectorTarget: PolicyTarget = {
  name: 'configconnector',
  apiVersion: KCC_API_VERSION,
  kind: 'ComputeSecurityPolicy',
  policy: computeSecurityPolicy,
  rulesOf(policy) {
    const rules = (policy as { spec?: { rule?: unknown } } | null | undefined)?.spec?.rule;
    return Array.isArray(rules) ? rules : undefined;
  },
};
