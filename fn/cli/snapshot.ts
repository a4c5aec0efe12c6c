// The Node snapshot `security-policy nodes` writes: a NodeSnapshot marker (fn/core/api.ts) followed by
// one Node per document, each holding only what the function reads (name, labels, addresses, the
// Ready condition) and marked local-config, so that kpt reads it as package input and kustomize keeps
// it out of its output. Sorted by name, nothing time-dependent: the same cluster gives the same bytes,
// and a refresh job's diff shows only what changed.
import { API_VERSION, NODE_SNAPSHOT_KIND } from '../core';
import { setOwn } from '../common/own-keys';

export const LOCAL_CONFIG = 'config.kubernetes.io/local-config';
export const DEFAULT_SNAPSHOT_NAME = 'nodes';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
};

export interface SnapshotNode {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; labels?: Record<string, string>; annotations: Record<string, string> };
  status: { addresses: Array<{ type: string; address: string }>; conditions?: Array<{ type: 'Ready'; status: string }> };
}

/**
 * The fields the function reads of one Node, or the errors (field path and value) that make it
 * unreadable. `where` names the Node in messages (`nodes.yaml items[3]`).
 */
export function snapshotNode(node: unknown, where: string): { node?: SnapshotNode; errors: string[] } {
  const errors: string[] = [];
  const n = isObj(node) ? node : {};
  const metadata = isObj(n.metadata) ? n.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') errors.push(`${where}: metadata.name: expected a Node name, found ${show(name)}`);

  let labels: Record<string, string> | undefined;
  if (metadata.labels !== undefined && metadata.labels !== null) {
    if (!isObj(metadata.labels)) errors.push(`${where}: metadata.labels: expected a map of strings, found ${show(metadata.labels)}`);
    else {
      labels = {};
      for (const key of Object.keys(metadata.labels).sort()) {
        const value = metadata.labels[key];
        if (typeof value !== 'string') errors.push(`${where}: metadata.labels[${JSON.stringify(key)}]: expected a string, found ${show(value)}`);
        else setOwn(labels, key, value);
      }
    }
  }

  const status = isObj(n.status) ? n.status : {};
  const addresses: SnapshotNode['status']['addresses'] = [];
  if (status.addresses !== undefined && status.addresses !== null && !Array.isArray(status.addresses)) {
    errors.push(`${where}: status.addresses: expected a list, found ${show(status.addresses)}`);
  }
  (Array.isArray(status.addresses) ? status.addresses : []).forEach((a, i) => {
    const at = `${where}: status.addresses[${i}]`;
    if (!isObj(a) || typeof a.type !== 'string' || typeof a.address !== 'string') errors.push(`${at}: expected {type, address} strings, found ${show(a)}`);
    else addresses.push({ type: a.type, address: a.address });
  });

  let conditions: SnapshotNode['status']['conditions'];
  if (status.conditions !== undefined && status.conditions !== null && !Array.isArray(status.conditions)) {
    errors.push(`${where}: status.conditions: expected a list, found ${show(status.conditions)}`);
  }
  const ready = (Array.isArray(status.conditions) ? status.conditions : []).find((c) => isObj(c) && c.type === 'Ready') as Obj | undefined;
  if (ready) {
    if (typeof ready.status !== 'string') errors.push(`${where}: status.conditions[type=Ready].status: expected "True", "False" or "Unknown", found ${show(ready.status)}`);
    else conditions = [{ type: 'Ready', status: ready.status }];
  }

  if (errors.length > 0) return { errors };
  // Key order is output order: name, labels, annotations.
  const meta: SnapshotNode['metadata'] = labels && Object.keys(labels).length > 0
    ? { name: name as string, labels, annotations: { [LOCAL_CONFIG]: 'true' } }
    : { name: name as string, annotations: { [LOCAL_CONFIG]: 'true' } };
  const out: SnapshotNode = { apiVersion: 'v1', kind: 'Node', metadata: meta, status: { addresses } };
  if (conditions) out.status.conditions = conditions;
  return { node: out, errors };
}

/** The marker that says how many Nodes follow; alone, it is the explicit snapshot of a cluster with none. */
export function snapshotMarker(name: string, nodeCount: number): Obj {
  return {
    apiVersion: API_VERSION,
    kind: NODE_SNAPSHOT_KIND,
    metadata: { name, annotations: { [LOCAL_CONFIG]: 'true' } },
    nodeCount,
  };
}

/** Marker first, then the Nodes sorted by name (code unit order, as kubectl and the API server sort). */
export function buildSnapshot(nodes: readonly SnapshotNode[], name: string): unknown[] {
  const sorted = [...nodes].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  return [snapshotMarker(name, sorted.length), ...sorted];
}
