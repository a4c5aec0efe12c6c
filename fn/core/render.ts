// The pure core: one SecurityPolicy + observed Nodes (+ the previously generated policy, for
// `whenNoNodes: Keep`) -> the ComputeSecurityPolicy, its attachments, findings and status figures.
// No I/O here: every adapter (KRM, Crossplane, CLI) calls this and only translates in and out.
import { formatCidr, isBroad, parseCidr, type Cidr } from './cidr';
import { capFindings, error, hasErrors, quote, type Finding, warning } from './findings';
import type { NodeSnapshot } from './inputs';
import { describeKept, keptRanges } from './keep';
import { backendConfig, gcpBackendPolicy, type KubeObject } from './manifests';
import { selectNodeAddresses, type NodeLike } from './nodes';
import { GENERATED_FROM_ANNOTATION, findPolicyObjects, generatedFromMark } from './ownership';
import { buildAllowRules, defaultRule, type PolicyRule, type RuleEntry } from './rules';
import { DEFAULT_MAX_RULES, parseSecurityPolicy, type SecurityPolicyObject } from './schema';
import { policyTarget, type TargetOptions } from './targets';

export interface RenderInput {
  /** The SecurityPolicy object as read (validated here). */
  securityPolicy: unknown;
  /** Observed Nodes. Adapters must not call render before the Nodes are known (Crossplane handshake). */
  nodes: readonly NodeLike[];
  /** The policy generated last time, when the adapter knows it (Crossplane: the observed composed resource). */
  previousPolicy?: unknown;
  /**
   * Objects among the inputs that may be the previous policy (KRM items, CLI files): the one this
   * SecurityPolicy generated is found by findPolicyObjects; one of the same name that a person wrote is
   * an error, never overwritten.
   */
  existingObjects?: readonly unknown[];
  /**
   * What the inputs say about the cluster's Nodes (KRM items, CLI files; see readNodeInputs). Given, no
   * Node object at all is an error for `spec.nodes` unless a NodeSnapshot marker says the cluster has
   * none. Not given when the Nodes come from the cluster itself (Crossplane, --nodes-from-cluster).
   */
  nodeSnapshot?: NodeSnapshot;
  /** Which manifest shape the policy takes (default: Config Connector). The rules are the same. */
  target?: TargetOptions;
}

export interface PolicyStatus {
  policyName: string;
  ruleCount: number;
  rangeCount: number;
  nodeAddressCount: number;
}

export interface RenderOutput {
  /** Empty when there are errors: nothing partial is ever emitted. */
  objects: KubeObject[];
  findings: Finding[];
  status?: PolicyStatus;
  /** The validated input, when it was valid. */
  spec?: SecurityPolicyObject;
}

const RFC1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function render(input: RenderInput): RenderOutput {
  const parsed = parseSecurityPolicy(input.securityPolicy);
  if (!parsed.ok) return { objects: [], findings: parsed.findings };
  const sp = parsed.policy;
  const spec = sp.spec;
  const findings: Finding[] = [];

  const policyName = spec.policy?.name ?? sp.metadata.name ?? '';
  if (!RFC1035.test(policyName)) {
    findings.push(error(
      `${quote(policyName)} cannot be a Cloud Armor policy name (RFC 1035, 1-63 characters); set spec.policy.name`,
      spec.policy?.name !== undefined ? 'spec.policy.name' : 'metadata.name', policyName));
  }

  // Static sources: parse, normalize, refuse what must not pass.
  const entries: RuleEntry[] = [];
  (spec.sources ?? []).forEach((source, i) => {
    const cidrs: Cidr[] = [];
    source.cidrs.forEach((text, j) => {
      const field = `spec.sources[${i}].cidrs[${j}]`;
      const r = parseCidr(text);
      if (!r.ok) return void findings.push(error(`${quote(text)} ${r.reason}`, field, text));
      if (isBroad(r.cidr) && !spec.allowBroadRanges) {
        return void findings.push(error(
          `${quote(text)} is broader than /${r.cidr.family === 4 ? 8 : 32}; set spec.allowBroadRanges: true to allow it`, field, text));
      }
      if (r.hostBitsCleared) findings.push(warning(`source ${source.name}: ${quote(text)} has host bits set; using ${formatCidr(r.cidr)}`, field, text));
      cidrs.push(r.cidr);
    });
    if (source.cidrs.length === 0) findings.push(warning(`source ${source.name} lists no CIDRs and allows nothing`, `spec.sources[${i}].cidrs`));
    entries.push({ name: source.name, cidrs });
  });

  const namespace = sp.metadata.namespace || undefined;
  const mark = generatedFromMark(sp);
  const policyField = spec.policy?.name !== undefined ? 'spec.policy.name' : 'metadata.name';
  const existing = findPolicyObjects(input.existingObjects ?? [], { policyName, namespace, mark }, policyField);
  findings.push(...existing.findings);
  const previousPolicy = existing.previous ?? input.previousPolicy;

  // Dynamic sources: the selected Nodes' addresses, or what the last policy had when told to keep them.
  const nodeAddresses = new Set<string>();
  if ((spec.nodes ?? []).length > 0 && input.nodeSnapshot) findings.push(...snapshotFindings(input.nodeSnapshot));
  // Nodes come in whatever order the cluster lists them: read them by name, so that the warnings
  // about them (results are part of the output) do not depend on that order either.
  const nodes = [...input.nodes].sort((a, b) => compareText(nodeName(a), nodeName(b)));
  const allNames = [...(spec.sources ?? []), ...(spec.nodes ?? [])].map((e) => e.name);
  (spec.nodes ?? []).forEach((entry, i) => {
    const field = `spec.nodes[${i}]`;
    const selected = selectNodeAddresses(entry, field, nodes);
    for (const f of selected.findings) findings.push(f);
    let cidrs = selected.cidrs;
    const matched = selected.matchedNodes.length;
    const ready = entry.includeNotReady ? '' : ' Ready';
    const keep = () => keptRanges(previousPolicy, {
      entryName: entry.name, field, mark, otherNames: allNames.filter((n) => n !== entry.name),
      preview: spec.preview ?? false, allowBroadRanges: spec.allowBroadRanges ?? false,
    });
    const minNodes = entry.minNodes ?? 0;
    if (matched < minNodes) {
      // Fewer Nodes than the entry's floor: a shrinking pool is more likely a broken snapshot or a
      // partial outage than the truth, so the previous addresses stay, beside the current ones.
      const kept = keep();
      for (const f of kept.findings) findings.push(f);
      cidrs = [...kept.cidrs, ...cidrs];
      findings.push(warning(`nodes entry ${entry.name} matched ${matched}${ready} Node(s), fewer than minNodes ${minNodes}; keeping the ${kept.cidrs.length} range(s) of the existing policy beside the current Nodes' addresses${describeKept(kept)}`, field));
    } else if (matched === 0) {
      if (entry.whenNoNodes === 'Keep') {
        const kept = keep();
        for (const f of kept.findings) findings.push(f);
        cidrs = kept.cidrs;
        findings.push(warning(`nodes entry ${entry.name} matched no${ready} Node; keeping the ${cidrs.length} range(s) of the existing policy (whenNoNodes: Keep)${describeKept(kept)}`, field));
      } else {
        findings.push(warning(`nodes entry ${entry.name} matched no${ready} Node; it contributes no rule (whenNoNodes: Remove)`, field));
      }
    } else if (cidrs.length === 0) {
      findings.push(warning(`nodes entry ${entry.name}: ${matched} Node(s) matched but none has an address of type ${(entry.addressTypes ?? ['ExternalIP']).join('/')}`, field));
    }
    for (const c of cidrs) nodeAddresses.add(formatCidr(c));
    entries.push({ name: entry.name, cidrs });
  });

  const attached = attachments(sp, policyName, namespace, findings);
  if (hasErrors(findings)) return { objects: [], findings: capFindings(findings), spec: sp };

  const preview = spec.preview ?? false;
  const defaultAction = spec.defaultAction ?? 'deny(403)';
  const allowRules = buildAllowRules(entries, preview);
  // In preview the default rule is previewed too: otherwise the allow rules are not enforced while the
  // deny is, and turning preview on would block everyone.
  const rules: PolicyRule[] = [...allowRules, defaultRule(defaultAction, preview && defaultAction !== 'allow')];

  const maxRules = spec.limits?.maxRules ?? DEFAULT_MAX_RULES;
  if (rules.length > maxRules) {
    findings.push(error(
      `the policy needs ${rules.length} rules (${allowRules.length} allow rules and the default rule) but limits.maxRules is ${maxRules}; nothing was emitted. Raise spec.limits.maxRules (and the project's SECURITY_POLICY_RULES quota) or narrow the sources`,
      'spec.limits.maxRules', maxRules));
    return { objects: [], findings: capFindings(findings), spec: sp };
  }
  if (allowRules.length === 0 && defaultAction.startsWith('deny')) {
    findings.push(warning(`the policy allows no address: every request gets ${defaultAction}`, 'spec'));
  }

  const policy = policyTarget(input.target).policy({
    name: policyName,
    namespace,
    projectID: spec.policy?.projectID,
    type: spec.policy?.type ?? 'CLOUD_ARMOR',
    description: spec.policy?.description ?? `Allowlist managed by function-security-policy from SecurityPolicy ${namespace ? `${namespace}/` : ''}${sp.metadata.name ?? policyName}`,
    rules,
  });
  // Every adapter's output says which SecurityPolicy the policy came from, whatever the target.
  policy.metadata.annotations = { ...policy.metadata.annotations, [GENERATED_FROM_ANNOTATION]: mark };
  const objects: KubeObject[] = [policy];
  objects.push(...attached);

  return {
    objects,
    findings: capFindings(findings),
    spec: sp,
    status: {
      policyName,
      ruleCount: rules.length,
      rangeCount: allowRules.reduce((n, r) => n + r.match.config.srcIpRanges.length, 0),
      nodeAddressCount: nodeAddresses.size,
    },
  };
}

/**
 * The attachments, one per object: an entry repeated as is counts once; two entries naming the same
 * object differently (another targetRef) are an error, since either one winning would depend on order.
 */
function attachments(sp: SecurityPolicyObject, policyName: string, namespace: string | undefined, findings: Finding[]): KubeObject[] {
  const byKey = new Map<string, { object: KubeObject; field: string }>();
  const add = (object: KubeObject, field: string) => {
    const key = `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    const first = byKey.get(key);
    if (!first) byKey.set(key, { object, field });
    else if (JSON.stringify(first.object) !== JSON.stringify(object)) {
      findings.push(error(`${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name} is already attached differently by ${first.field}`, field));
    }
  };
  (sp.spec.attach?.backendConfigs ?? []).forEach((ref, i) =>
    add(backendConfig(ref.name, ref.namespace ?? namespace, policyName), `spec.attach.backendConfigs[${i}]`));
  (sp.spec.attach?.gcpBackendPolicies ?? []).forEach((ref, i) =>
    add(gcpBackendPolicy(ref.name, ref.namespace ?? namespace, ref.targetRef, policyName), `spec.attach.gcpBackendPolicies[${i}]`));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v.object);
}

/**
 * A missing Node snapshot must not shrink the allowlist silently: with `spec.nodes`, the inputs must
 * hold Node objects, or a NodeSnapshot marker saying how many (zero included); and when markers are
 * there, the Node objects must be as many as they say (a partial snapshot otherwise).
 */
function snapshotFindings(s: NodeSnapshot): Finding[] {
  const out: Finding[] = s.invalidMarkers.map((m) => error(`${m}: a NodeSnapshot's nodeCount must be a whole number of Nodes, 0 or more`, 'spec.nodes'));
  if (s.nodeObjects === 0 && s.markers === 0) {
    out.push(error('spec.nodes selects Nodes but the inputs hold no Node object, so every node rule would be dropped; add the cluster\'s Nodes (kubectl get nodes -o yaml, or security-policy nodes), or, if the cluster really has no Node, a NodeSnapshot with nodeCount: 0', 'spec.nodes'));
  } else if (s.markers > 0 && s.invalidMarkers.length === 0 && s.nodeObjects !== s.declaredNodes) {
    out.push(error(`the inputs hold ${s.nodeObjects} Node object(s) but their NodeSnapshot says ${s.declaredNodes}: the snapshot is partial; take it again (security-policy nodes)`, 'spec.nodes', s.nodeObjects));
  }
  return out;
}

function nodeName(n: NodeLike): string {
  const name = n !== null && typeof n === 'object' ? n.metadata?.name : undefined;
  return typeof name === 'string' ? name : '';
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The Cloud Armor policy a SecurityPolicy object will produce (spec.policy.name, else metadata.name),
 * read before validation: adapters use it to find the previously generated policy.
 */
export function intendedPolicyName(securityPolicy: unknown): string | undefined {
  const o = securityPolicy as { spec?: { policy?: { name?: unknown } }; metadata?: { name?: unknown } } | null | undefined;
  const name = o?.spec?.policy?.name ?? o?.metadata?.name;
  return typeof name === 'string' ? name : undefined;
}
