// Deterministic benchmark inputs: the same seed gives the same bytes. Nodes come from the tests'
// realistic GKE Node builder (labels, providerID, conditions, addresses, ~40 status.images).
import yaml from 'js-yaml';
import { generateNodes, prng, type GkeNode } from '../test/helpers/nodes';

export { generateNodes, type GkeNode };

/** `count` random, normalized CIDRs: public IPv4 /12-/32 and `v6Share` of IPv6 /32-/128. */
export function randomCidrs(count: number, seed: number, v6Share = 0.1): string[] {
  const rand = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (rand() < v6Share) {
      const prefix = 32 + Math.floor(rand() * 97);
      const groups: number[] = [0x2001, 0x0db8 + Math.floor(rand() * 16)];
      for (let g = 2; g < 8; g++) groups.push(Math.floor(rand() * 0x10000));
      // clear host bits group by group
      for (let g = 0; g < 8; g++) {
        const keep = Math.max(0, Math.min(16, prefix - g * 16));
        groups[g] = keep === 0 ? 0 : groups[g]! & ((0xffff << (16 - keep)) & 0xffff);
      }
      out.push(`${groups.map((x) => x.toString(16)).join(':')}/${prefix}`);
      continue;
    }
    const prefix = rand() < 0.5 ? 32 : 12 + Math.floor(rand() * 21);
    let first = 11 + Math.floor(rand() * 213);
    if (first === 127) first = 128;
    const n = ((first << 24) | Math.floor(rand() * 2 ** 24)) >>> 0;
    const start = prefix === 0 ? 0 : (n & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
    out.push(`${start >>> 24}.${(start >>> 16) & 255}.${(start >>> 8) & 255}.${start & 255}/${prefix}`);
  }
  return out;
}

export interface PolicyShape { sources: number; cidrs: number; seed: number; maxRules?: number }

/** A SecurityPolicy with `sources` static sources sharing `cidrs` CIDRs and one entry for all Nodes' IPs. */
export function securityPolicy(shape: PolicyShape): Record<string, unknown> {
  const cidrs = randomCidrs(shape.cidrs, shape.seed, 0.05);
  const per = Math.ceil(cidrs.length / shape.sources);
  return {
    apiVersion: 'security.example.org/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: {
      name: 'web-allowlist',
      namespace: 'team-web',
      annotations: {
        'config.kubernetes.io/path': 'securitypolicy.yaml', 'config.kubernetes.io/index': '0',
        'internal.config.kubernetes.io/path': 'securitypolicy.yaml', 'internal.config.kubernetes.io/index': '0',
      },
    },
    spec: {
      policy: { name: 'web-allowlist', projectID: 'bench-project' },
      sources: Array.from({ length: shape.sources }, (_, i) => ({ name: `source-${i}`, cidrs: cidrs.slice(i * per, (i + 1) * per) })),
      nodes: [{ name: 'cluster-nodes', addressTypes: ['ExternalIP', 'InternalIP'] }],
      attach: { backendConfigs: [{ name: 'web' }] },
      limits: { maxRules: shape.maxRules ?? 10_000 },
    },
  };
}

/** Nodes as a kpt package holds them (one file, with the path/index annotations kpt adds). */
export function packageNodes(count: number, seed: number): GkeNode[] {
  return generateNodes(count, seed).map((n, i) => ({
    ...n,
    metadata: {
      ...n.metadata,
      annotations: {
        ...n.metadata.annotations,
        'config.kubernetes.io/path': 'nodes.yaml', 'config.kubernetes.io/index': String(i),
        'internal.config.kubernetes.io/path': 'nodes.yaml', 'internal.config.kubernetes.io/index': String(i),
      },
    },
  }));
}

/**
 * The ResourceList text kpt sends a function: block style, sequences not indented under their key
 * (kyaml's style), items at column 0.
 */
export function resourceListYaml(policy: object, nodes: readonly object[]): string {
  return yaml.dump(
    { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [policy, ...nodes] },
    { noArrayIndent: true, lineWidth: -1, noRefs: true, quotingType: '"' },
  );
}

export function krmInput(nodes: number, sources: number, cidrs: number, seed = 1): string {
  return resourceListYaml(securityPolicy({ sources, cidrs, seed }), packageNodes(nodes, seed + 1));
}
