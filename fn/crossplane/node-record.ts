// What each `nodes` entry took from each Node at the last render, kept in the XR's status so that the
// operation function (operation.ts) can tell, from one changed Node and the XRs alone, which XRs'
// policies that change can alter: the Node's old labels and addresses are gone from the watch event,
// but what they contributed is recorded here.
//
//   status:
//     nodes:
//       - name: gke-egress                     # the nodes entry
//         matched: ["gke-a-1=34.1.2.3", "gke-a-2"]   # Node name, then what it contributed (none: not
//                                                    # Ready, or no address of the entry's types)
//       - name: big-pool
//         truncated: true                      # more than MAX_RECORDED Nodes: not listed; the
//                                              # operation then treats every Node change as relevant
//
// A Node is recorded when the entry's selector matches its labels, whatever it contributed: a Node
// that stops matching, or is deleted, is then found by name.
import { isReady, matchesSelector, parseCidr, formatCidr, type NodeLike, type NodesEntry } from '../core';
import type { Json, JsonObject } from './wire';

export const MAX_RECORDED = 500;

export interface EntryRecord { name: string; matched?: string[]; truncated?: true }

/**
 * What the entry takes from the Node: undefined when its selector does not match the Node's labels,
 * else `name` or `name=addr,addr` (sorted). Equal fingerprints mean the Node changes nothing for the entry.
 */
export function nodeFingerprint(entry: NodesEntry, node: NodeLike): string | undefined {
  const name = typeof node?.metadata?.name === 'string' ? node.metadata.name : '';
  if (!matchesSelector(node?.metadata?.labels ?? undefined, entry.selector)) return undefined;
  if (!entry.includeNotReady && !isReady(node)) return name;
  const types = new Set<string>(entry.addressTypes ?? ['ExternalIP']);
  const addresses = new Set<string>();
  for (const a of Array.isArray(node.status?.addresses) ? node.status!.addresses! : []) {
    if (!a || typeof a.type !== 'string' || !types.has(a.type) || typeof a.address !== 'string' || a.address.includes('/')) continue;
    const parsed = parseCidr(a.address);
    if (parsed.ok) addresses.add(formatCidr(parsed.cidr));
  }
  return addresses.size === 0 ? name : `${name}=${[...addresses].sort().join(',')}`;
}

export const fingerprintNodeName = (fingerprint: string): string => {
  const at = fingerprint.indexOf('=');
  return at < 0 ? fingerprint : fingerprint.slice(0, at);
};

/** status.nodes for the XR: one record per entry, in spec order. */
export function recordNodes(entries: readonly NodesEntry[] | undefined, nodes: readonly NodeLike[]): EntryRecord[] {
  return (entries ?? []).map((entry) => {
    const matched: string[] = [];
    for (const node of nodes) {
      const f = node && typeof node === 'object' ? nodeFingerprint(entry, node) : undefined;
      if (f !== undefined) matched.push(f);
    }
    if (matched.length > MAX_RECORDED) return { name: entry.name, truncated: true };
    return { name: entry.name, matched: matched.sort() };
  });
}

export function recordsToJson(records: readonly EntryRecord[]): Json[] {
  return records.map((r) => ({ ...r }) as JsonObject);
}

/** Reads status.nodes back; undefined when absent or not of this shape (an XR not rendered yet). */
export function readRecords(status: unknown): Map<string, EntryRecord> | undefined {
  const nodes = (status as { nodes?: unknown } | null | undefined)?.nodes;
  if (!Array.isArray(nodes)) return undefined;
  const out = new Map<string, EntryRecord>();
  for (const r of nodes as Array<{ name?: unknown; matched?: unknown; truncated?: unknown }>) {
    if (!r || typeof r.name !== 'string') return undefined;
    if (r.truncated === true) out.set(r.name, { name: r.name, truncated: true });
    else if (Array.isArray(r.matched) && r.matched.every((m) => typeof m === 'string')) out.set(r.name, { name: r.name, matched: r.matched as string[] });
    else return undefined;
  }
  return out;
}
