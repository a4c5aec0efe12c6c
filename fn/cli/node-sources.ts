// Nodes from two sources at once (`render --nodes-from-cluster` beside a committed snapshot): the
// live cluster is the newer truth, so a live Node replaces the file Node of the same name. Keeping
// both would allow the stale address next to the live one, which is a wider allowlist than either
// source asks for.
import { matchesSelector, type NodeLike, type NodesEntry } from '../core';
import type { Reporter } from './report';

/** Named Nodes listed one per line up to this many; the rest is a count. */
const LISTED = 20;

function nameOf(n: NodeLike): string | undefined {
  const name = (n.metadata as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The entries are not validated yet (the core reports their errors): a malformed selector selects. */
function selects(entry: Pick<NodesEntry, 'selector'>, n: NodeLike): boolean {
  try {
    return matchesSelector(n.metadata?.labels ?? undefined, entry.selector);
  } catch {
    return true;
  }
}

/**
 * The file Nodes with each one the live cluster also lists replaced by its live version, then the
 * live Nodes the files do not hold. Says on stderr which source won for every Node named in both, and
 * warns about file Nodes that an entry selects but the live cluster no longer lists.
 */
export function mergeLiveNodes(
  fileNodes: readonly NodeLike[],
  liveNodes: readonly NodeLike[],
  entries: readonly Pick<NodesEntry, 'selector'>[],
  reporter: Reporter,
): NodeLike[] {
  const live = new Map<string, NodeLike>();
  for (const n of liveNodes) {
    const name = nameOf(n);
    if (name !== undefined) live.set(name, n);
  }
  const replaced: string[] = [];
  const notLive: string[] = [];
  const merged: NodeLike[] = [];
  const taken = new Set<string>();
  for (const n of fileNodes) {
    const name = nameOf(n);
    const liveNode = name === undefined ? undefined : live.get(name);
    if (liveNode) {
      if (!taken.has(name!)) merged.push(liveNode);
      taken.add(name!);
      replaced.push(name!);
      continue;
    }
    merged.push(n);
    if (entries.some((e) => selects(e, n))) notLive.push(name ?? '(unnamed)');
  }
  for (const [name, n] of live) if (!taken.has(name)) merged.push(n);

  const unique = (names: string[]) => [...new Set(names)].sort();
  const listed = (names: string[]) => {
    const shown = names.slice(0, LISTED).join(', ');
    return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
  };
  const r = unique(replaced);
  if (r.length > 0) reporter.info(`${r.length} Node(s) both in the input files and in the live cluster: the live cluster's version is used (the file's is ignored): ${listed(r)}`);
  const s = unique(notLive);
  if (s.length > 0) reporter.warn(`${s.length} Node(s) from the input files are selected but the live cluster does not list them (deleted since the snapshot, or a snapshot of another cluster?); kept from the files: ${listed(s)}`);
  return merged;
}
