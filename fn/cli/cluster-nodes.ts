// Lists the live cluster's Nodes for `--nodes-from-cluster`, through @kubernetes/client-node.
// The client is required here, at call time, never at module load: `render` without the flag and
// `--help` must not pay for it (the bundle keeps it external; a test asserts it is not loaded).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { selectorToQuery, type NodeLike, type NodesEntry } from '../core';
import { CliError } from './io';

export interface ClusterOptions {
  /** kubeconfig context; default the current context. */
  context?: string;
  /** kubeconfig file; default $KUBECONFIG, then ~/.kube/config, then the in-cluster service account. */
  kubeconfig?: string;
  timeoutMs: number;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const PAGE_SIZE = 500;
/**
 * Pages per label selector query: 200 pages of 500 are 100,000 Nodes, above the largest cluster GKE
 * allows (65,000). An API server (or a proxy in front of it) that keeps returning a continue token
 * must not keep the command listing forever.
 */
export const MAX_PAGES = 200;
/** The whole listing (every query, every page) ends after this many times --timeout. */
export const TOTAL_TIME_FACTOR = 10;

/**
 * The label selector queries to list with: one per distinct selector of the nodes entries, or a single
 * unfiltered list when some entry selects every Node (its list contains all the others).
 */
export function listQueries(entries: readonly Pick<NodesEntry, 'selector'>[]): string[] {
  const queries = new Set(entries.map((e) => selectorToQuery(e.selector)));
  if (queries.has('')) return [''];
  return [...queries].sort();
}

type K8s = typeof import('@kubernetes/client-node');

function loadKubeConfig(k8s: K8s, opts: ClusterOptions) {
  const kc = new k8s.KubeConfig();
  const envFiles = (process.env.KUBECONFIG ?? '').split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
  const home = join(homedir(), '.kube', 'config');
  try {
    if (opts.kubeconfig) {
      if (!existsSync(opts.kubeconfig)) throw new CliError(`--kubeconfig ${opts.kubeconfig}: no such file`);
      kc.loadFromFile(opts.kubeconfig);
    } else if (envFiles.length > 0) {
      const missing = envFiles.filter((f) => !existsSync(f));
      if (missing.length === envFiles.length) throw new CliError(`KUBECONFIG names no existing file (${envFiles.join(', ')})`);
      kc.loadFromDefault();
    } else if (existsSync(home)) {
      kc.loadFromFile(home);
    } else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
      kc.loadFromCluster();
    } else {
      throw new CliError(
        'no kubeconfig found for --nodes-from-cluster: set KUBECONFIG or --kubeconfig, create ~/.kube/config ' +
          '(gcloud container clusters get-credentials CLUSTER), or run inside a Pod with a service account');
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read the kubeconfig: ${(e as Error).message}`);
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new CliError(`--context ${opts.context}: no such context in the kubeconfig (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new CliError(`the kubeconfig has no cluster for context ${JSON.stringify(kc.getCurrentContext() || '(none)')}; pass --context`);
  return { kc, server: cluster.server, context: kc.getCurrentContext() };
}

/** Lists the Nodes the entries may select (server-side filtered), deduplicated by name. */
export async function listClusterNodes(entries: readonly Pick<NodesEntry, 'selector'>[], opts: ClusterOptions): Promise<NodeLike[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const k8s = require('@kubernetes/client-node') as K8s;
  const { kc, server, context } = loadKubeConfig(k8s, opts);
  const api = kc.makeApiClient(k8s.CoreV1Api);
  const where = whereOf(server, context);
  const totalMs = opts.timeoutMs * TOTAL_TIME_FACTOR;
  const total = AbortSignal.timeout(totalMs);
  const tooLong = () => new CliError(`${where} did not finish listing Nodes within ${seconds(totalMs)} (${TOTAL_TIME_FACTOR} x --timeout); raise --timeout if the cluster is that large and slow`);
  const byName = new Map<string, NodeLike>();
  for (const labelSelector of listQueries(entries)) {
    const request = `GET /api/v1/nodes${labelSelector ? `?labelSelector=${labelSelector}` : ''}`;
    const tokens = new Set<string>();
    let cont: string | undefined;
    let pages = 0;
    do {
      if (pages === MAX_PAGES) {
        throw new CliError(`${where} gave more than ${MAX_PAGES} pages of ${PAGE_SIZE} Nodes for ${request} and still returned a continue token; stopped (no cluster is that large: the API server or a proxy in front of it is misbehaving)`);
      }
      pages++;
      const perRequest = AbortSignal.timeout(opts.timeoutMs);
      const signal = AbortSignal.any([perRequest, total]);
      // The object-parameter API takes Observable-style middleware (the client's own minimal stub).
      const timeoutMiddleware = {
        pre: (ctx: { setSignal(s: AbortSignal): void }) => (ctx.setSignal(signal), new k8s.Observable(Promise.resolve(ctx))),
        post: <T>(r: T) => new k8s.Observable(Promise.resolve(r)),
      };
      let list;
      try {
        list = await api.listNode(
          { labelSelector: labelSelector || undefined, limit: PAGE_SIZE, _continue: cont },
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          { middleware: [timeoutMiddleware as any], middlewareMergeStrategy: 'append' },
        );
      } catch (e) {
        if (total.aborted && !perRequest.aborted) throw tooLong();
        throw new CliError(describeKubeError(e, { server, context, labelSelector, timeoutMs: opts.timeoutMs, signal: perRequest }));
      }
      if (total.aborted) throw tooLong();
      for (const node of list.items ?? []) {
        const name = node.metadata?.name ?? '';
        byName.set(name, node as NodeLike);
      }
      cont = list.metadata?._continue || undefined;
      if (cont !== undefined) {
        if (tokens.has(cont)) throw new CliError(`${where} repeated the continue token of an earlier page for ${request} (${JSON.stringify(cont.slice(0, 40))}): paging would never end; stopped`);
        tokens.add(cont);
      }
    } while (cont);
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, n]) => n);
}

const seconds = (ms: number) => `${ms / 1000}s`;
const whereOf = (server: string, context: string) => `the Kubernetes API server ${server} (context ${context || '(in-cluster)'})`;

interface ErrorContext {
  server: string;
  context: string;
  labelSelector: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export function describeKubeError(e: unknown, c: ErrorContext): string {
  const where = whereOf(c.server, c.context);
  const err = e as { code?: unknown; body?: unknown; name?: string; message?: string; type?: string; cause?: { code?: string } };
  if (typeof err.code === 'number') {
    const status = err.code;
    const reason = apiMessage(err.body);
    if (status === 401) return `${where} rejected the credentials (401 Unauthorized)${reason}; refresh them, e.g. gcloud container clusters get-credentials CLUSTER`;
    if (status === 403) {
      return `${where} refused to list Nodes (403 Forbidden)${reason}. The identity needs the RBAC verb "list" on "nodes" ` +
        '(cluster scope): a ClusterRole with rules [{apiGroups: [""], resources: ["nodes"], verbs: ["list"]}] and a ClusterRoleBinding to it';
    }
    return `${where} answered ${status} to GET /api/v1/nodes${c.labelSelector ? `?labelSelector=${c.labelSelector}` : ''}${reason}`;
  }
  if (c.signal.aborted || err.name === 'AbortError' || err.type === 'aborted') {
    return `${where} did not answer within ${c.timeoutMs / 1000}s (--timeout)`;
  }
  const code = typeof err.code === 'string' ? err.code : err.cause?.code;
  return `cannot reach ${where}: ${code ? `${code}: ` : ''}${(err.message ?? String(e)).split('\n')[0]}`;
}

function apiMessage(body: unknown): string {
  let b = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body);
    } catch {
      return body ? `: ${body.slice(0, 200)}` : '';
    }
  }
  const m = (b as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' && m ? `: ${m}` : '';
}
