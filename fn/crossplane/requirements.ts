// Which Nodes the function asks Crossplane for, and collecting what Crossplane sent back.
//
// One required-resources selector per distinct `spec.nodes[].selector.matchLabels` (entries with the
// same labels share one, so a cluster's Nodes are not sent twice), keyed `nodes-<entry name>` after the
// first of those entries by name: reordering spec.nodes changes no key, and costs Crossplane no refetch.
// Crossplane can only filter by labels (apiVersion v1, kind Node, match_labels; an empty label set
// lists every Node), so matchExpressions, readiness and address types are applied by the core.
//
// Generations: Crossplane 1 reads `requirements.extra_resources` and answers in request field
// `extra_resources`; Crossplane 2 prefers `requirements.resources` / `required_resources` and still
// honours the old pair. The function uses the new field only when the request proves Crossplane
// understands it (it advertises CAPABILITY_REQUIRED_RESOURCES, or already sent required_resources),
// so the same requirements come back on every call and Crossplane's requirement loop settles. Both
// request fields are always read.
import { isCoreNode, type NodeLike, type NodesEntry } from '../core';
import { Capability } from './proto';
import type { FnRequest } from './wire';

export interface NodeSelector {
  api_version: 'v1';
  kind: 'Node';
  match_labels: { labels: Record<string, string> };
}

/** Requirement key -> selector, in entry-name order; empty when the spec has no `nodes` entries. */
export function nodeRequirements(entries: readonly NodesEntry[] | undefined): Map<string, NodeSelector> {
  const out = new Map<string, NodeSelector>();
  const seen = new Set<string>();
  const byName = [...(entries ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of byName) {
    const labels = entry.selector?.matchLabels ?? {};
    const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const identity = JSON.stringify(sorted);
    if (seen.has(identity)) continue;
    seen.add(identity);
    out.set(`nodes-${entry.name}`, { api_version: 'v1', kind: 'Node', match_labels: { labels: sorted } });
  }
  return out;
}

/** True when Crossplane reads `requirements.resources` (Crossplane 2). */
export function usesRequiredResources(req: FnRequest): boolean {
  return req.meta.capabilities.includes(Capability.REQUIRED_RESOURCES) || Object.keys(req.required_resources).length > 0;
}

/**
 * The Nodes Crossplane supplied for the given keys, merged and deduplicated by name, or undefined
 * while any key is still missing (Crossplane has not fetched it yet). A key present with no items
 * means Crossplane looked and found no Node.
 */
export function suppliedNodes(req: FnRequest, keys: Iterable<string>): NodeLike[] | undefined {
  const byName = new Map<string, NodeLike>();
  const unnamed: NodeLike[] = [];
  for (const key of keys) {
    const items = Object.prototype.hasOwnProperty.call(req.required_resources, key)
      ? req.required_resources[key]
      : Object.prototype.hasOwnProperty.call(req.extra_resources, key) ? req.extra_resources[key] : undefined;
    if (!items) return undefined;
    for (const item of items) {
      const node = item.resource as NodeLike | undefined;
      // One rule for every adapter: only core v1 Nodes are Nodes.
      if (!node || !isCoreNode(node)) continue;
      const name = node.metadata?.name;
      if (typeof name === 'string' && name !== '') byName.set(name, node);
      else unnamed.push(node);
    }
  }
  return [...byName.values(), ...unnamed];
}
