// Which input objects the function reads, decided once for every adapter (KRM items, CLI files,
// Crossplane required resources): our SecurityPolicies, core v1 Nodes, and the NodeSnapshot marker.
// Anything else (Envoy Gateway's SecurityPolicy, a CRD's `Node` kind) is not ours and passes through.
import { API_GROUP, NODE_SNAPSHOT_KIND } from './api';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `security.example.org/v1alpha1` -> `security.example.org`; core `v1` -> `''`; not a string -> undefined. */
export function apiGroupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A SecurityPolicy of this project's API group (not Envoy Gateway's, nor anyone else's). */
export function isOurSecurityPolicy(o: unknown): boolean {
  return isObj(o) && o.kind === 'SecurityPolicy' && apiGroupOf(o.apiVersion) === API_GROUP;
}

/** A kubectl `v1 List` or an API server `v1 NodeList`: its items are read as objects of their own. */
export function isCoreList(o: unknown): o is Obj & { items: unknown[] } {
  return isObj(o) && o.apiVersion === 'v1' && (o.kind === 'List' || o.kind === 'NodeList') && Array.isArray(o.items);
}

/**
 * A core `v1` `Node`. Inside a `v1 NodeList` (`list`), an item may omit apiVersion and kind (the API
 * server's typed lists do); anywhere else both must say `v1` `Node`: `example.com/v1 Node` is not one.
 */
export function isCoreNode(o: unknown, list?: unknown): boolean {
  if (!isObj(o)) return false;
  if (isObj(list) && list.apiVersion === 'v1' && list.kind === 'NodeList') {
    return (o.apiVersion ?? 'v1') === 'v1' && (o.kind ?? 'Node') === 'Node';
  }
  return o.apiVersion === 'v1' && o.kind === 'Node';
}

/** The explicit Node snapshot marker (see api.ts): says how many Nodes the snapshot beside it holds. */
export function isNodeSnapshot(o: unknown): boolean {
  return isObj(o) && o.kind === NODE_SNAPSHOT_KIND && apiGroupOf(o.apiVersion) === API_GROUP;
}

/** What the inputs say about the cluster's Nodes, beyond the Nodes themselves. */
export interface NodeSnapshot {
  /** Core v1 Node objects among the inputs. */
  nodeObjects: number;
  /** NodeSnapshot markers among the inputs. */
  markers: number;
  /** Sum of the markers' nodeCount. */
  declaredNodes: number;
  /** Markers whose nodeCount is not a non-negative integer, as `<where>: <value>`. */
  invalidMarkers: string[];
}

/**
 * The Nodes among input objects (top level, or items of a `v1 List`/`NodeList`), and the snapshot
 * facts that tell a cluster with zero Nodes from a package that lost its snapshot.
 */
export function readNodeInputs<T = unknown>(objects: readonly unknown[]): { nodes: T[]; snapshot: NodeSnapshot } {
  const nodes: T[] = [];
  const markers: unknown[] = [];
  const visit = (o: unknown, list: unknown) => {
    if (isCoreNode(o, list)) nodes.push(o as T);
    else if (isNodeSnapshot(o)) markers.push(o);
  };
  for (const o of objects) {
    if (isCoreList(o)) for (const item of o.items) visit(item, o);
    else visit(o, undefined);
  }
  return { nodes, snapshot: summarizeSnapshot(nodes.length, markers) };
}

/** The snapshot facts from the number of Node objects read and the NodeSnapshot markers found beside them. */
export function summarizeSnapshot(nodeObjects: number, markers: readonly unknown[]): NodeSnapshot {
  const snapshot: NodeSnapshot = { nodeObjects, markers: markers.length, declaredNodes: 0, invalidMarkers: [] };
  for (const o of markers) {
    const count = isObj(o) ? o.nodeCount : undefined;
    if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) snapshot.declaredNodes += count;
    else snapshot.invalidMarkers.push(`${NODE_SNAPSHOT_KIND} ${markerName(o) ?? '(unnamed)'}: nodeCount ${count === undefined ? 'is missing' : `${String(JSON.stringify(count)).slice(0, 40)} is not a non-negative integer`}`);
  }
  return snapshot;
}

function markerName(o: unknown): string | undefined {
  const name = isObj(o) && isObj(o.metadata) ? o.metadata.name : undefined;
  return typeof name === 'string' ? name : undefined;
}
