// `security-policy render`: SecurityPolicy (+ Node) files in, Config Connector manifests out.
import { join } from 'node:path';
import { attachToExisting, intendedPolicyName, isPolicyManifest, isUpboundPolicy, policyCollision, render, summarizeSnapshot, type GeneratedPolicy, type KubeObject, type NodeLike, type NodeSnapshot, type NodesEntry, type PolicyStatus, type TargetOptions } from '../core';
import { parse, parseDuration } from './args';
import { RENDER_HELP } from './help';
import { CliError, objectName, readInputs, toYamlStream, type Inputs, type Located } from './io';
import { mergeLiveNodes } from './node-sources';
import { makeOutputDir, writeOutputFile } from './output';
import { reportFindings, stderrReporter } from './report';
import { TARGET_OPTIONS, targetOptions } from './target-flags';

export interface Rendered {
  /** The SecurityPolicy it came from. */
  source: Located;
  policyName: string;
  /** ComputeSecurityPolicy first, then attachments. */
  objects: KubeObject[];
  status?: PolicyStatus;
  projectID?: string;
  hasNodeEntries: boolean;
}

/** What the inputs hold beside the SecurityPolicies, for the core's checks (see RenderInput). */
export interface InputContext {
  /** Policies among the inputs: the previous output, or a hand-written one of the generated name. */
  existingObjects?: readonly unknown[];
  /** Undefined when the Nodes come from the cluster (--nodes-from-cluster). */
  nodeSnapshot?: NodeSnapshot;
}

/** The InputContext of files read by readInputs (Nodes from files unless --nodes-from-cluster). */
export function inputContext(inputs: Inputs, flags: NodeSourceFlags): InputContext {
  return {
    // Either output target's shape: the core tells the previous output from a hand-written policy.
    existingObjects: [...inputs.computeSecurityPolicies, ...inputs.others.filter((o) => isUpboundPolicy(o.doc))].map((c) => c.doc),
    nodeSnapshot: flags['nodes-from-cluster'] ? undefined : summarizeSnapshot(inputs.nodes.length, inputs.snapshots),
  };
}

/**
 * Renders every SecurityPolicy through the core. Warnings go to stderr; on any error nothing is
 * returned and a CliError lists every error (field path and value) across all policies.
 * `previousFor` gives a previous policy the inputs do not hold (plan: the live one).
 */
export function renderAll(
  policies: readonly Located[],
  nodes: readonly NodeLike[],
  previousFor: (policyName: string | undefined) => unknown,
  target: TargetOptions = {},
  context: InputContext = {},
): Rendered[] {
  if (policies.length === 0) throw new CliError('no SecurityPolicy found in the inputs');
  const out: Rendered[] = [];
  const errors: string[] = [];
  const cloudPolicies: GeneratedPolicy[] = [];
  for (const source of policies) {
    const name = intendedPolicyName(source.doc);
    const result = render({ securityPolicy: source.doc, nodes, previousPolicy: previousFor(name), target, ...context });
    errors.push(...reportFindings(result.findings, `${source.origin}: SecurityPolicy ${objectName(source.doc)}`));
    if (result.findings.some((f) => f.severity === 'error') || !result.status) continue;
    const policyName = result.status.policyName;
    // One rule with the KRM function: two SecurityPolicies naming one Cloud Armor policy are an error.
    const cloud: GeneratedPolicy = { owner: `SecurityPolicy ${objectName(source.doc)} (${source.origin})`, policyName, projectID: result.spec?.spec.policy?.projectID };
    const collision = policyCollision(cloudPolicies, cloud);
    if (collision) {
      errors.push(...reportFindings([collision], `${source.origin}: SecurityPolicy ${objectName(source.doc)}`));
      continue;
    }
    cloudPolicies.push(cloud);
    out.push({
      source,
      policyName,
      objects: result.objects,
      status: result.status,
      projectID: result.spec?.spec.policy?.projectID,
      hasNodeEntries: (result.spec?.spec.nodes?.length ?? 0) > 0,
    });
  }
  if (errors.length > 0) throw new CliError(errors.join('\nerror: '));
  return out.sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
}

/** Node entries of every (syntactically plausible) SecurityPolicy, for the cluster list queries. */
export function nodeEntriesOf(policies: readonly Located[]): NodesEntry[] {
  const entries: NodesEntry[] = [];
  for (const p of policies) {
    const nodes = (p.doc.spec as { nodes?: unknown } | undefined)?.nodes;
    if (Array.isArray(nodes)) entries.push(...(nodes.filter((n) => n && typeof n === 'object') as NodesEntry[]));
  }
  return entries;
}

export interface NodeSourceFlags {
  'nodes-from-cluster'?: boolean;
  context?: string;
  kubeconfig?: string;
  timeout?: string;
}

export const NODE_SOURCE_OPTIONS = {
  'nodes-from-cluster': { type: 'boolean' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  timeout: { type: 'string' },
} as const;

/** Nodes from the input files, and with --nodes-from-cluster the live cluster's (which win by name). */
export async function gatherNodes(inputs: Inputs, flags: NodeSourceFlags): Promise<NodeLike[]> {
  if (!flags['nodes-from-cluster']) {
    if ((flags.context || flags.kubeconfig) !== undefined) throw new CliError('--context and --kubeconfig need --nodes-from-cluster');
    // No Node file at all is the core's error (spec.nodes), unless a NodeSnapshot says there are none.
    return inputs.nodes;
  }
  const entries = nodeEntriesOf(inputs.securityPolicies);
  if (entries.length === 0) return inputs.nodes;
  const timeoutMs = parseDuration(flags.timeout ?? '30s', '--timeout');
  // Required here so that a render without the flag never loads the Kubernetes client.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { listClusterNodes } = require('./cluster-nodes') as typeof import('./cluster-nodes');
  const live = await listClusterNodes(entries, { context: flags.context, kubeconfig: flags.kubeconfig, timeoutMs });
  return mergeLiveNodes(inputs.nodes, live, entries, stderrReporter);
}

export async function renderMain(argv: string[]): Promise<number> {
  const { values, positionals } = parse('render', argv, {
    ...NODE_SOURCE_OPTIONS,
    output: { type: 'string', short: 'o' },
    passthrough: { type: 'boolean' },
    ...TARGET_OPTIONS,
  });
  if (values.help) {
    process.stdout.write(RENDER_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new CliError('render needs at least one file, directory or - (stdin)\nrun "security-policy render --help" for usage');
  if (values.output && values.passthrough) throw new CliError('--passthrough writes one stream to stdout; it cannot be combined with -o/--output');

  const target = targetOptions(values);
  const inputs = readInputs(positionals);
  const nodes = await gatherNodes(inputs, values);
  const rendered = renderAll(inputs.securityPolicies, nodes, () => undefined, target, inputContext(inputs, values));
  if (values.output) {
    // One file per Cloud Armor name: two policies of one name (in two explicit projects) would share it.
    const names = rendered.map((r) => r.policyName);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new CliError(`two policies are named ${twice} (in different projects): -o would write both to ${twice}.yaml; render them separately or to stdout`);
  }

  if (values.output) {
    makeOutputDir(values.output);
    for (const r of rendered) writeOutputFile(join(values.output, `${r.policyName}.yaml`), toYamlStream(r.objects));
    stderrReporter.info(`wrote ${rendered.map((r) => join(values.output!, `${r.policyName}.yaml`)).join(', ')}`);
    return 0;
  }
  const objects: unknown[] = rendered.flatMap((r) => r.objects);
  if (values.passthrough) {
    // Everything else in the directory (Deployments, Services...) goes out unchanged, as a CMP must emit
    // the whole application; the SecurityPolicy, Nodes and stale generated policies do not.
    // A BackendConfig / GCPBackendPolicy the team wrote is pointed at the policy, never replaced (as
    // the KRM function does); a stale generated policy gives way to the new one.
    const generated = new Map(objects.map((o, i) => [objectKey(o as KubeObject), i]));
    const rest = [...inputs.others, ...inputs.computeSecurityPolicies].map((o) => o.doc);
    for (const doc of rest) {
      const at = generated.get(objectKey(doc as KubeObject));
      if (at === undefined) objects.push(doc);
      else if (!isPolicyManifest(doc)) objects[at] = attachToExisting(doc, objects[at] as KubeObject);
    }
  }
  process.stdout.write(toYamlStream(objects));
  return 0;
}

function objectKey(o: { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }): string {
  return `${String(o.kind)} ${o.metadata?.namespace ? `${String(o.metadata.namespace)}/` : ''}${String(o.metadata?.name)}`;
}
