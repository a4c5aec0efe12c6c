// Realistic GKE Node objects for tests and the benchmark.
//
// The shape follows the real sample test/fixtures/gke-nodes/gke-node-sample-1-public-preemptible.json
// (labels, providerID, the node-problem-detector and kubelet conditions, addresses, ~40 status.images),
// and the two `kubectl describe node` samples (a private node with only an InternalIP, a Spot node) are
// turned back into Node objects by `realPrivateNode()` / `realSpotNode()`. Everything is deterministic:
// the same arguments (and seed) always give the same objects, byte for byte.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const GKE_NODES_DIR = path.resolve(__dirname, '../fixtures/gke-nodes');

export interface NodeAddress { type: string; address: string }
export interface NodeCondition { type: string; status: string; lastHeartbeatTime: string; lastTransitionTime: string; reason: string; message: string }

/** A core/v1 Node as the API server returns it (the fields GKE fills in). */
export interface GkeNode {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; uid: string; resourceVersion: string; creationTimestamp: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { podCIDR: string; podCIDRs: string[]; providerID: string; taints?: Array<{ key: string; value?: string; effect: string }> };
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    conditions: NodeCondition[];
    addresses: NodeAddress[];
    daemonEndpoints: { kubeletEndpoint: { Port: number } };
    nodeInfo: Record<string, string>;
    images: Array<{ names: string[]; sizeBytes: number }>;
  };
}

export interface MakeNodeOptions {
  name: string;
  pool: string;
  internalIP: string;
  /** Omit for a private node (GKE private nodes have no ExternalIP address at all). */
  externalIP?: string;
  /** Dual-stack nodes carry a second InternalIP (IPv6). */
  internalIPv6?: string;
  /** The Ready condition: true -> "True", false -> "False", 'Unknown' -> "Unknown". Default true. */
  ready?: boolean | 'Unknown';
  /** Extra or overriding labels; a label set to null is removed. */
  labels?: Record<string, string | null>;
  project?: string;
  zone?: string;
  machineType?: string;
  preemptible?: boolean;
  spot?: boolean;
  /** Number of status.images entries (default 40). */
  imageCount?: number;
  /** Seed for the per-node random parts (uid, machine IDs, image digests); default derived from name. */
  seed?: number;
  /** Include the Hostname address GKE reports (default true). */
  hostnameAddress?: boolean;
}

// ---- deterministic randomness ----

/** mulberry32: a tiny seeded PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

function uuid(rand: () => number): string {
  const h = hex(rand, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- the real samples ----

let sampleCache: Record<string, unknown> | undefined;
function sample1(): Record<string, unknown> {
  sampleCache ??= JSON.parse(fs.readFileSync(path.join(GKE_NODES_DIR, 'gke-node-sample-1-public-preemptible.json'), 'utf8')) as Record<string, unknown>;
  return sampleCache;
}

/** The real public preemptible node (sample 1) as a full Node object (apiVersion/kind added). */
export function realPublicNode(): GkeNode {
  return { apiVersion: 'v1', kind: 'Node', ...structuredClone(sample1()) } as unknown as GkeNode;
}

const SAMPLE_IMAGES = (): Array<{ names: string[]; sizeBytes: number }> =>
  ((sample1().status as { images: Array<{ names: string[]; sizeBytes: number }> }).images);

const EXTRA_IMAGES = [
  'gke.gcr.io/gke-metrics-agent', 'gke.gcr.io/fluent-bit', 'gke.gcr.io/netd', 'gke.gcr.io/kube-proxy-amd64',
  'gke.gcr.io/csi-node-driver-registrar', 'gke.gcr.io/gcp-compute-persistent-disk-csi-driver', 'gke.gcr.io/ip-masq-agent',
  'gke.gcr.io/k8s-dns-node-cache', 'gke.gcr.io/prometheus-to-sd', 'gke.gcr.io/event-exporter', 'gke.gcr.io/cluster-proportional-autoscaler',
  'gke.gcr.io/metrics-server', 'gke.gcr.io/addon-resizer', 'gke.gcr.io/pause',
];

/** `count` status.images entries: the sample's real ones first, then GKE system images, digests from `rand`. */
export function makeImages(count: number, rand: () => number): Array<{ names: string[]; sizeBytes: number }> {
  const real = SAMPLE_IMAGES();
  const out: Array<{ names: string[]; sizeBytes: number }> = [];
  for (let i = 0; i < count; i++) {
    if (i < real.length) out.push(structuredClone(real[i]!));
    else {
      const repo = EXTRA_IMAGES[(i - real.length) % EXTRA_IMAGES.length]!;
      const tag = `v1.${Math.floor(rand() * 30)}.${Math.floor(rand() * 10)}-gke.${Math.floor(rand() * 2000)}`;
      out.push({ names: [`${repo}@sha256:${hex(rand, 64)}`, `${repo}:${tag}`], sizeBytes: 1_000_000 + Math.floor(rand() * 300_000_000) });
    }
  }
  return out;
}

const CONDITION_TEMPLATES: Array<[string, string, string]> = [
  ['FrequentUnregisterNetDevice', 'UnregisterNetDevice', 'node is functioning properly'],
  ['KernelDeadlock', 'KernelHasNoDeadlock', 'kernel has no deadlock'],
  ['NetworkUnavailable', 'RouteCreated', 'RouteController created a route'],
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
];

const HEARTBEAT = '2024-07-23T02:42:26Z';
const CREATED = '2024-07-22T17:03:21Z';

function conditions(ready: boolean | 'Unknown'): NodeCondition[] {
  const out: NodeCondition[] = CONDITION_TEMPLATES.map(([type, reason, message]) => ({
    type, status: 'False', lastHeartbeatTime: HEARTBEAT, lastTransitionTime: CREATED, reason, message,
  }));
  out.push(
    ready === true
      ? { type: 'Ready', status: 'True', lastHeartbeatTime: HEARTBEAT, lastTransitionTime: CREATED, reason: 'KubeletReady', message: 'kubelet is posting ready status. AppArmor enabled' }
      : ready === false
        ? { type: 'Ready', status: 'False', lastHeartbeatTime: HEARTBEAT, lastTransitionTime: HEARTBEAT, reason: 'KubeletNotReady', message: 'container runtime network not ready: NetworkReady=false' }
        : { type: 'Ready', status: 'Unknown', lastHeartbeatTime: HEARTBEAT, lastTransitionTime: HEARTBEAT, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' },
  );
  return out;
}

/** A GKE Node shaped like the real samples. */
export function makeNode(o: MakeNodeOptions): GkeNode {
  const rand = prng(o.seed ?? hashString(o.name));
  const project = o.project ?? 'my-gcp-project';
  const zone = o.zone ?? 'us-central1-c';
  const region = zone.replace(/-[a-z]$/, '');
  const machineType = o.machineType ?? 'e2-standard-4';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': machineType,
    'beta.kubernetes.io/os': 'linux',
    'cloud.google.com/gke-boot-disk': 'pd-balanced',
    'cloud.google.com/gke-container-runtime': 'containerd',
    'cloud.google.com/gke-nodepool': o.pool,
    'cloud.google.com/gke-os-distribution': 'cos',
    'cloud.google.com/gke-provisioning': o.spot ? 'spot' : o.preemptible ? 'preemptible' : 'standard',
    'cloud.google.com/gke-stack-type': o.internalIPv6 ? 'IPV4_IPV6' : 'IPV4',
    'cloud.google.com/machine-family': machineType.split('-')[0]!,
    'cloud.google.com/private-node': o.externalIP ? 'false' : 'true',
    'failure-domain.beta.kubernetes.io/region': region,
    'failure-domain.beta.kubernetes.io/zone': zone,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': o.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': machineType,
    'topology.gke.io/zone': zone,
    'topology.kubernetes.io/region': region,
    'topology.kubernetes.io/zone': zone,
  };
  if (o.preemptible) labels['cloud.google.com/gke-preemptible'] = 'true';
  if (o.spot) labels['cloud.google.com/gke-spot'] = 'true';
  for (const [k, v] of Object.entries(o.labels ?? {})) {
    if (v === null) delete labels[k];
    else labels[k] = v;
  }
  const sortedLabels = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  const addresses: NodeAddress[] = [{ type: 'InternalIP', address: o.internalIP }];
  if (o.internalIPv6) addresses.push({ type: 'InternalIP', address: o.internalIPv6 });
  if (o.externalIP) addresses.push({ type: 'ExternalIP', address: o.externalIP });
  if (o.hostnameAddress ?? true) addresses.push({ type: 'Hostname', address: o.name });

  const podOctet = Math.floor(rand() * 256);
  const uid = uuid(rand);
  const machineID = hex(rand, 32);
  const instanceID = String(1e18 + Math.floor(rand() * 8e18)).slice(0, 19);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.name,
      uid,
      resourceVersion: String(1_000_000 + Math.floor(rand() * 9_000_000)),
      creationTimestamp: CREATED,
      labels: sortedLabels,
      annotations: {
        'container.googleapis.com/instance_id': instanceID,
        'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'pd.csi.storage.gke.io': `projects/${project}/zones/${zone}/instances/${o.name}` }),
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.48.${podOctet}.0/24`,
      podCIDRs: [`10.48.${podOctet}.0/24`],
      providerID: `gce://${project}/${zone}/${o.name}`,
    },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '98831908Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16380004Ki', pods: '110' },
      allocatable: { cpu: '3920m', 'ephemeral-storage': '47060071478', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '13591652Ki', pods: '110' },
      conditions: conditions(o.ready ?? true),
      addresses,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID,
        systemUUID: uuid(rand),
        bootID: uuid(rand),
        kernelVersion: '6.1.85+',
        osImage: 'Container-Optimized OS from Google',
        containerRuntimeVersion: 'containerd://1.7.15',
        kubeletVersion: 'v1.29.6-gke.1038001',
        kubeProxyVersion: 'v1.29.6-gke.1038001',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: makeImages(o.imageCount ?? 40, rand),
    },
  };
}

export interface GenerateOptions {
  /** Node pools to spread nodes over (default three pools). */
  pools?: string[];
  /** Share of nodes without an ExternalIP (private nodes); default 0.3. */
  privateRatio?: number;
  /** Share of nodes whose Ready condition is not True; default 0.1. */
  notReadyRatio?: number;
  /** Share of dual-stack nodes with an IPv6 InternalIP; default 0. */
  ipv6Ratio?: number;
  /** status.images per node (default 40; lower it for very large benchmarks if memory matters). */
  imageCount?: number;
  project?: string;
}

export const DEFAULT_POOLS = ['default-pool', 'egress-pool', 'spot-pool'];
const ZONES = ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'];

/**
 * `count` distinct GKE Nodes, the same for the same (count, seed, options). Internal IPs are unique
 * within 10.128.0.0/9, external IPs unique within 34.64.0.0/10 (both taken from a seeded permutation).
 */
export function generateNodes(count: number, seed: number, opts: GenerateOptions = {}): GkeNode[] {
  const rand = prng(seed);
  const pools = opts.pools ?? DEFAULT_POOLS;
  const privateRatio = opts.privateRatio ?? 0.3;
  const notReadyRatio = opts.notReadyRatio ?? 0.1;
  const ipv6Ratio = opts.ipv6Ratio ?? 0;
  const suffixes = pools.map(() => hex(rand, 8));
  // Unique addresses: a stride coprime to the space walks every offset once.
  const v4 = (base: number, size: number, i: number, offset: number) => {
    const n = (base + ((offset + i * 2654435761) % size)) >>> 0;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  };
  const internalOffset = Math.floor(rand() * 2 ** 23);
  const externalOffset = Math.floor(rand() * 2 ** 22);
  const nodes: GkeNode[] = [];
  for (let i = 0; i < count; i++) {
    const p = Math.floor(rand() * pools.length);
    const pool = pools[p]!;
    const isPrivate = rand() < privateRatio;
    const ready = rand() < notReadyRatio ? (rand() < 0.5 ? false : ('Unknown' as const)) : true;
    const dual = rand() < ipv6Ratio;
    const zone = ZONES[Math.floor(rand() * ZONES.length)]!;
    const name = `gke-cluster-1-${pool}-${suffixes[p]}-${hex(rand, 4)}${i.toString(36)}`;
    nodes.push(makeNode({
      name,
      pool,
      zone,
      project: opts.project,
      internalIP: v4(0x0a800000, 2 ** 23, i, internalOffset),
      externalIP: isPrivate ? undefined : v4(0x22400000, 2 ** 22, i, externalOffset),
      internalIPv6: dual ? `2600:1900:4000:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1` : undefined,
      ready,
      spot: pool.includes('spot'),
      imageCount: opts.imageCount,
      seed: Math.floor(rand() * 2 ** 32),
    }));
  }
  return nodes;
}

// ---- the `kubectl describe node` samples, turned back into Node objects ----

interface Described { name?: string; labels: Record<string, string>; annotations: Record<string, string>; addresses: NodeAddress[]; ready?: string; providerID?: string; podCIDR?: string; taints: string[] }

/** Parses the fields of `kubectl describe node` output that a Node object needs. */
export function parseDescribe(text: string): Described {
  const lines = text.split('\n').filter((l) => !l.startsWith('#'));
  const out: Described = { labels: {}, annotations: {}, addresses: [], taints: [] };
  let section = '';
  for (const line of lines) {
    const top = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(line);
    if (top) {
      section = top[1]!;
      const value = top[2]!.trim();
      if (section === 'Name') out.name = value;
      else if (section === 'ProviderID') out.providerID = value;
      else if (section === 'PodCIDR') out.podCIDR = value;
      else if (section === 'Labels' && value) addKv(out.labels, value, '=');
      else if (section === 'Taints' && value && value !== '<none>') out.taints.push(value);
      continue;
    }
    const indented = line.trim();
    if (!indented) continue;
    if (section === 'Labels' && /^\s{10,}\S/.test(line)) addKv(out.labels, indented, '=');
    else if (section === 'Addresses') {
      const m = /^(\w+):\s+(\S+)$/.exec(indented);
      if (m) out.addresses.push({ type: m[1]!, address: m[2]! });
    } else if (section === 'Conditions') {
      const m = /^Ready\s+(True|False|Unknown)\s/.exec(indented);
      if (m) out.ready = m[1];
    }
  }
  return out;
}

function addKv(into: Record<string, string>, text: string, sep: string): void {
  const i = text.indexOf(sep);
  if (i > 0) into[text.slice(0, i)] = text.slice(i + 1);
}

function nodeFromDescribe(file: string, fallbackName?: string): GkeNode {
  const d = parseDescribe(fs.readFileSync(path.join(GKE_NODES_DIR, file), 'utf8'));
  const name = d.name ?? fallbackName ?? d.labels['kubernetes.io/hostname']!;
  const internal = d.addresses.find((a) => a.type === 'InternalIP')!.address;
  const external = d.addresses.find((a) => a.type === 'ExternalIP')?.address;
  const [, project, zone] = /^gce:\/\/([^/]+)\/([^/]+)\//.exec(d.providerID ?? '') ?? [];
  const node = makeNode({
    name,
    pool: d.labels['cloud.google.com/gke-nodepool']!,
    internalIP: internal,
    externalIP: external,
    ready: d.ready === undefined || d.ready === 'True' ? true : d.ready === 'False' ? false : 'Unknown',
    project,
    zone,
    machineType: d.labels['node.kubernetes.io/instance-type'],
  });
  // The real labels and addresses exactly as described, not the builder's defaults.
  node.metadata.labels = Object.fromEntries(Object.entries(d.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  node.status.addresses = d.addresses;
  if (d.providerID) node.spec.providerID = d.providerID;
  if (d.podCIDR) { node.spec.podCIDR = d.podCIDR; node.spec.podCIDRs = [d.podCIDR]; }
  if (d.taints.length) {
    node.spec.taints = d.taints.map((t) => {
      const m = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(t)!;
      return m[2] !== undefined ? { key: m[1]!, value: m[2], effect: m[3]! } : { key: m[1]!, effect: m[3]! };
    });
  }
  return node;
}

/** Sample 2: a GKE private node (only an InternalIP, 10.0.0.3), pool dev-general, Ready. */
export function realPrivateNode(): GkeNode {
  return nodeFromDescribe('gke-node-sample-2-private-node-describe.txt');
}

/** Sample 3: a GKE Spot node with ExternalIP 34.79.110.181, pool n2-standard-4-v2, Ready (its describe
 * excerpt has no Conditions table; the node was running a benchmark, so it is built Ready). */
export function realSpotNode(): GkeNode {
  return nodeFromDescribe('gke-node-sample-3-spot-public-node-describe.txt');
}

/** The three real GKE nodes: public preemptible, private, spot. */
export function realNodes(): GkeNode[] {
  return [realPublicNode(), realPrivateNode(), realSpotNode()];
}
