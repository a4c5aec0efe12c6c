// Nodes declared by the Composition step itself (Crossplane v2.0 and later:
// `pipeline[].requirements.requiredResources`), so that Crossplane fetches them before the first call
// and the function needs one call instead of two.
//
// The function only trusts a declaration whose meaning it knows: the requirement named `nodes` is,
// by this function's contract, every Node of the cluster:
//
//   requirements:
//     requiredResources:
//       - requirementName: nodes
//         apiVersion: v1
//         kind: Node
//         matchLabels: {}
//
// Every `spec.nodes` entry is then answered from it (the function applies the selectors), and the
// function asks for nothing. Another name holding Nodes is not used: its selector is unknown to the
// function, and building from it could drop Nodes an entry selects (a partial view). The function's
// own keys (`nodes-<entry>`, requirements.ts) can be declared statically too: they are used when every
// one of them is present, as on any second call.
import type { NodeLike } from '../core';
import type { FnRequest } from './wire';

export const ALL_NODES_REQUIREMENT = 'nodes';

/** The step's `nodes` (undefined when not declared), or why it cannot be used. */
export function staticNodes(req: FnRequest): { nodes: NodeLike[] } | { error: string } | undefined {
  const items = Object.prototype.hasOwnProperty.call(req.required_resources, ALL_NODES_REQUIREMENT)
    ? req.required_resources[ALL_NODES_REQUIREMENT]
    : Object.prototype.hasOwnProperty.call(req.extra_resources, ALL_NODES_REQUIREMENT) ? req.extra_resources[ALL_NODES_REQUIREMENT] : undefined;
  if (!items) return undefined;
  const nodes: NodeLike[] = [];
  for (const item of items) {
    const r = item.resource;
    if (!r) continue;
    if (r.kind !== 'Node' || (r.apiVersion !== undefined && r.apiVersion !== 'v1')) {
      return { error: `the required resource "${ALL_NODES_REQUIREMENT}" holds a ${typeof r.apiVersion === 'string' ? `${r.apiVersion} ` : ''}${typeof r.kind === 'string' ? r.kind : '(no kind)'}; this function reads "${ALL_NODES_REQUIREMENT}" as every Node: declare it with apiVersion v1, kind Node, matchLabels {}` };
    }
    nodes.push(r as NodeLike);
  }
  return { nodes };
}
