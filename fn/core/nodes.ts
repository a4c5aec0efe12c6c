// Picks the addresses a `nodes` entry allows out of observed Node objects.
import { parseCidr, type Cidr } from './cidr';
import { quote, warning, type Finding } from './findings';
import type { NodesEntry } from './schema';
import { matchesSelector } from './selector';

/** The parts of a core/v1 Node the function reads; everything else (images, capacity...) is ignored. */
export interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> | null } | null;
  status?: {
    addresses?: Array<{ type?: string; address?: string }> | null;
    conditions?: Array<{ type?: string; status?: string }> | null;
  } | null;
}

/** Observed data can be malformed (a hand-edited snapshot): anything but a list reads as empty. */
const list = <T>(v: T[] | null | undefined): T[] => (Array.isArray(v) ? v : []);

export function isReady(node: NodeLike): boolean {
  return list(node.status?.conditions).some((c) => c?.type === 'Ready' && c.status === 'True');
}

export interface SelectedAddresses {
  cidrs: Cidr[];
  /** Names of the Nodes that matched the selector (and readiness filter). */
  matchedNodes: string[];
  findings: Finding[];
}

export function selectNodeAddresses(entry: NodesEntry, entryField: string, nodes: readonly NodeLike[]): SelectedAddresses {
  const types = new Set<string>(entry.addressTypes ?? ['ExternalIP']);
  const cidrs: Cidr[] = [];
  const matchedNodes: string[] = [];
  const findings: Finding[] = [];
  for (const node of nodes) {
    if (node === null || typeof node !== 'object') continue;
    if (!matchesSelector(node.metadata?.labels ?? undefined, entry.selector)) continue;
    if (!entry.includeNotReady && !isReady(node)) continue;
    const nodeName = node.metadata?.name ?? '(unnamed)';
    matchedNodes.push(nodeName);
    for (const a of list(node.status?.addresses)) {
      if (!a || !a.type || !types.has(a.type) || !a.address || typeof a.address !== 'string') continue;
      const parsed = parseCidr(a.address);
      if (!parsed.ok || a.address.includes('/')) {
        // Hostname/DNS types, or a malformed address: observed data, so skip it loudly rather than fail.
        findings.push(warning(`node ${nodeName}: ${a.type} ${quote(a.address)} is not an IP address; skipped`, entryField, a.address));
        continue;
      }
      cidrs.push(parsed.cidr);
    }
  }
  return { cidrs, matchedNodes, findings };
}
