// `security-policy nodes`: kubectl's Node output (a `v1 List` or `NodeList`, YAML or JSON, from files
// or stdin) or the live cluster's Nodes in, a Node snapshot out (see snapshot.ts) that kpt and
// kustomize accept as package input. Only core v1 Nodes are taken; anything else is named and skipped.
import { isCoreList, isCoreNode, isNodeSnapshot } from '../core';
import { parse, parseDuration } from './args';
import { NODES_HELP } from './help';
import { CliError, expandPaths, parseDocuments, readText, toYamlStream } from './io';
import { writeOutputFile } from './output';
import { NODE_SOURCE_OPTIONS } from './render';
import { stderrReporter } from './report';
import { buildSnapshot, DEFAULT_SNAPSHOT_NAME, snapshotNode, type SnapshotNode } from './snapshot';

const HEADER = '# Node snapshot for function-security-policy, written by `security-policy nodes`: refresh it, do not edit it.\n';
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Objects named one by one in the "skipped" warning; the rest is a count. */
const LISTED = 10;

interface Read {
  nodes: SnapshotNode[];
  errors: string[];
}

/** The core v1 Nodes of kubectl's output in `paths`; every other object is named in a warning. */
export function nodesFromFiles(paths: readonly string[]): Read {
  const out: Read = { nodes: [], errors: [] };
  const skipped: string[] = [];
  let sawNodeSource = false;
  const visit = (o: unknown, list: unknown, where: string) => {
    if (isCoreNode(o, list)) {
      const r = snapshotNode(o, where);
      out.errors.push(...r.errors);
      if (r.node) out.nodes.push(r.node);
    } else if (!isNodeSnapshot(o)) {
      // The marker of a snapshot being re-read is written afresh; anything else is not a Node.
      const d = (o ?? {}) as { apiVersion?: unknown; kind?: unknown };
      skipped.push(`${where} (${String(d.apiVersion ?? 'no apiVersion')} ${String(d.kind ?? 'no kind')})`);
    }
  };
  for (const file of expandPaths(paths)) {
    const origin = file === '-' ? '<stdin>' : file;
    for (const { doc, origin: where } of parseDocuments(readText(file), origin)) {
      if (isCoreList(doc)) {
        sawNodeSource = true;
        doc.items.forEach((item, i) => visit(item, doc, `${where} items[${i}]`));
      } else {
        if (isCoreNode(doc) || isNodeSnapshot(doc)) sawNodeSource = true;
        visit(doc, undefined, where);
      }
    }
  }
  // An empty input is a failed `kubectl get nodes`, not a cluster without Nodes (that is an empty List).
  if (!sawNodeSource) {
    out.errors.push(`${paths.map((p) => (p === '-' ? '<stdin>' : p)).join(', ')}: no v1 List, NodeList or Node found (expected the output of "kubectl get nodes -o yaml" or "-o json")`);
  }
  if (skipped.length > 0) {
    const shown = skipped.slice(0, LISTED).join(', ');
    stderrReporter.warn(`skipped ${skipped.length} object(s) that are not core v1 Nodes: ${shown}${skipped.length > LISTED ? ` and ${skipped.length - LISTED} more` : ''}`);
  }
  return out;
}

/** Every Node of the live cluster (one unfiltered listing: the snapshot serves every selector). */
async function nodesFromCluster(flags: { context?: string; kubeconfig?: string; timeout?: string }): Promise<Read> {
  const timeoutMs = parseDuration(flags.timeout ?? '30s', '--timeout');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { listClusterNodes } = require('./cluster-nodes') as typeof import('./cluster-nodes');
  const live = await listClusterNodes([{ selector: undefined }], { context: flags.context, kubeconfig: flags.kubeconfig, timeoutMs });
  const out: Read = { nodes: [], errors: [] };
  for (const n of live) {
    const r = snapshotNode(n, `Node ${String(n.metadata?.name ?? '(unnamed)')}`);
    out.errors.push(...r.errors);
    if (r.node) out.nodes.push(r.node);
  }
  return out;
}

export async function nodesMain(argv: string[]): Promise<number> {
  const { values, positionals } = parse('nodes', argv, {
    ...NODE_SOURCE_OPTIONS,
    output: { type: 'string', short: 'o' },
    name: { type: 'string', default: DEFAULT_SNAPSHOT_NAME },
  });
  if (values.help) {
    process.stdout.write(NODES_HELP);
    return 0;
  }
  const fromCluster = values['nodes-from-cluster'] === true;
  if (fromCluster && positionals.length > 0) throw new CliError('nodes reads FILE (or - for stdin) or --nodes-from-cluster, not both');
  if (!fromCluster && positionals.length === 0) throw new CliError('nodes needs FILE, - (stdin) or --nodes-from-cluster\nrun "security-policy nodes --help" for usage');
  if (!fromCluster && (values.context !== undefined || values.kubeconfig !== undefined)) throw new CliError('--context and --kubeconfig need --nodes-from-cluster');
  const name = values.name;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) throw new CliError(`--name ${JSON.stringify(name.slice(0, 80))}: expected a lowercase RFC 1123 name (a-z, 0-9, "-", "."), e.g. nodes`);

  const read = fromCluster ? await nodesFromCluster(values) : nodesFromFiles(positionals);
  const byName = new Map<string, number>();
  for (const n of read.nodes) byName.set(n.metadata.name, (byName.get(n.metadata.name) ?? 0) + 1);
  const repeatedNames = [...byName].filter(([, count]) => count > 1).map(([n]) => n).sort();
  if (repeatedNames.length > 0) read.errors.push(`Node name(s) given more than once, with no way to tell which is current: ${repeatedNames.slice(0, LISTED).join(', ')}${repeatedNames.length > LISTED ? ` and ${repeatedNames.length - LISTED} more` : ''}`);
  if (read.errors.length > 0) throw new CliError(read.errors.slice(0, 50).join('\nerror: ') + (read.errors.length > 50 ? `\nerror: ... and ${read.errors.length - 50} more` : ''));

  const text = HEADER + toYamlStream(buildSnapshot(read.nodes, name));
  if (values.output) {
    writeOutputFile(values.output, text);
    stderrReporter.info(`wrote ${values.output}: ${read.nodes.length} Node(s)`);
  } else {
    process.stdout.write(text);
  }
  if (read.nodes.length === 0) stderrReporter.warn('no Nodes: the snapshot says the cluster has none (nodeCount: 0), so nodes entries will select nothing');
  return 0;
}
