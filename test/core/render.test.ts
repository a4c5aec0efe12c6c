// render(): table-driven, each case compares the WHOLE output (objects, findings, status) with an
// expected value written out here. Priorities are computed by an independent FNV-1a below, so a change
// of the band scheme (which would renumber every live policy) fails these tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render, type RenderInput } from '../../fn/core';
import { cloudArmorLimitErrors, validateAgainstKcc } from '../helpers/crd';
import { makeNode, realNodes, realPrivateNode, realPublicNode, realSpotNode } from '../helpers/nodes';

// ---------------------------------------------------------------- expected-value builders

/** FNV-1a 32-bit, written independently of fn/core/priorities.ts. */
function fnv(text: string): number {
  let h = 2166136261;
  for (const ch of text) {
    h = (h ^ ch.charCodeAt(0)) >>> 0;
    h = Number((BigInt(h) * 16777619n) % 4294967296n);
  }
  return h;
}
/** Band start for a name that collides with no other name of the case (asserted by `policy`). */
const band = (name: string) => (fnv(name) % 214748) * 10000;

const sp = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'web-allowlist' }) => ({
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata,
  spec,
});

interface Rule { action: string; description: string; match: { config: { srcIpRanges: string[] }; versionedExpr: 'SRC_IPS_V1' }; preview: boolean; priority: number }

function allow(name: string, ranges: string[], opts: { index?: number; total?: number; preview?: boolean; description?: string } = {}): Rule {
  const index = opts.index ?? 1;
  return {
    action: 'allow',
    description: opts.description ?? `${name} ${index}/${opts.total ?? 1}`,
    match: { config: { srcIpRanges: ranges }, versionedExpr: 'SRC_IPS_V1' },
    preview: opts.preview ?? false,
    priority: band(name) + index - 1,
  };
}

function deflt(action = 'deny(403)', preview = false): Rule {
  return { action, description: 'default rule', match: { config: { srcIpRanges: ['*'] }, versionedExpr: 'SRC_IPS_V1' }, preview, priority: 2147483647 };
}

function policy(o: { name?: string; namespace?: string; project?: string; type?: string; description?: string; rules: Rule[]; from?: string }) {
  const name = o.name ?? 'web-allowlist';
  const metadata: Record<string, unknown> = { name };
  if (o.namespace) metadata.namespace = o.namespace;
  // Every generated policy says which SecurityPolicy (namespace/name) it came from.
  const mark = { 'function-security-policy/generated-from': `SecurityPolicy/${o.namespace ? `${o.namespace}/` : ''}${o.from ?? name}` };
  metadata.annotations = o.project ? { 'cnrm.cloud.google.com/project-id': o.project, ...mark } : mark;
  const bands = o.rules.map((r) => r.priority - (r.priority % 10000));
  assert.equal(new Set(o.rules.map((r) => r.description.replace(/ \d+\/\d+$/, ''))).size, new Set(bands).size, 'fixture names must not collide');
  return {
    apiVersion: 'compute.cnrm.cloud.google.com/v1beta1',
    kind: 'ComputeSecurityPolicy',
    metadata,
    spec: {
      description: o.description ?? `Allowlist managed by function-security-policy from SecurityPolicy ${o.namespace ? `${o.namespace}/` : ''}${name}`,
      resourceID: name,
      rule: [...o.rules].sort((a, b) => a.priority - b.priority),
      type: o.type ?? 'CLOUD_ARMOR',
    },
  };
}

const status = (policyName: string, ruleCount: number, rangeCount: number, nodeAddressCount: number) => ({ policyName, ruleCount, rangeCount, nodeAddressCount });
const warn = (message: string, field?: string, value?: unknown) => ({ severity: 'warning', message, field, value });

// ---------------------------------------------------------------- fixtures

const PUBLIC = '35.192.99.255'; // sample 1, pool-1, preemptible, ExternalIP
const PUBLIC_INTERNAL = '10.128.0.4';
const PRIVATE_INTERNAL = '10.0.0.3'; // sample 2, dev-general, private: InternalIP only
const SPOT = '34.79.110.181'; // sample 3, n2-standard-4-v2, spot
const SPOT_INTERNAL = '10.5.1.168';

const notReady = makeNode({ name: 'gke-web-pool-2-aaaa', pool: 'pool-2', internalIP: '10.128.0.9', externalIP: '35.192.0.9', ready: false });
const unknownReady = makeNode({ name: 'gke-web-pool-2-bbbb', pool: 'pool-2', internalIP: '10.128.0.10', externalIP: '35.192.0.10', ready: 'Unknown' });
const dualStack = makeNode({ name: 'gke-web-pool-3-cccc', pool: 'pool-3', internalIP: '10.128.0.11', internalIPv6: '2600:1900:4000:1::5', externalIP: '35.192.0.11' });
const twelve = Array.from({ length: 12 }, (_, i) => `198.51.100.${i * 2}`); // 12 hosts, no two mergeable

interface Case {
  name: string;
  input: RenderInput;
  /** Plain data, compared after a JSON round trip (so an undefined field equals an absent one). */
  expected: { objects: unknown[]; findings: unknown[]; status?: unknown };
}

const cases: Case[] = [
  {
    name: 'minimal: one source',
    input: { securityPolicy: sp({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] }), nodes: [] },
    expected: {
      objects: [policy({ rules: [allow('office', ['203.0.113.0/24']), deflt()] })],
      findings: [],
      status: status('web-allowlist', 2, 1, 0),
    },
  },
  {
    name: 'empty spec: only the default rule, and a warning that nothing is allowed',
    input: { securityPolicy: sp({}), nodes: realNodes() },
    expected: {
      objects: [policy({ rules: [deflt()] })],
      findings: [warn('the policy allows no address: every request gets deny(403)', 'spec')],
      status: status('web-allowlist', 1, 0, 0),
    },
  },
  {
    name: 'sources are normalized and aggregated; host bits warn',
    input: {
      securityPolicy: sp({
        sources: [
          { name: 'sapporo-office', description: 'Sapporo dev office', cidrs: ['203.0.113.0/25', '203.0.113.128/25', '198.51.100.7', '2001:db8:1234::/48', '::ffff:192.0.2.1', '10.0.0.1/24', '203.0.113.9'] },
          { name: 'partner', cidrs: ['2001:DB8:ABCD::1', '192.0.2.0/24'] },
        ],
      }),
      nodes: [],
    },
    expected: {
      objects: [policy({ rules: [
        allow('sapporo-office', ['10.0.0.0/24', '192.0.2.1/32', '198.51.100.7/32', '203.0.113.0/24', '2001:db8:1234::/48']),
        allow('partner', ['192.0.2.0/24', '2001:db8:abcd::1/128']),
        deflt(),
      ] })],
      findings: [warn('source sapporo-office: "10.0.0.1/24" has host bits set; using 10.0.0.0/24', 'spec.sources[0].cidrs[5]', '10.0.0.1/24')],
      status: status('web-allowlist', 3, 7, 0),
    },
  },
  {
    name: 'real GKE nodes: ExternalIP of the public and spot nodes; the private node has none',
    input: {
      securityPolicy: sp({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes: [{ name: 'gke-egress' }] }),
      nodes: realNodes(),
    },
    expected: {
      objects: [policy({ rules: [allow('office', ['203.0.113.0/24']), allow('gke-egress', [`${SPOT}/32`, `${PUBLIC}/32`]), deflt()] })],
      findings: [],
      status: status('web-allowlist', 3, 3, 2),
    },
  },
  {
    name: 'private node alone: matched but no ExternalIP -> warning, no rule',
    input: { securityPolicy: sp({ nodes: [{ name: 'private', selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'dev-general' } } }] }), nodes: realNodes() },
    expected: {
      objects: [policy({ rules: [deflt()] })],
      findings: [
        warn('nodes entry private: 1 Node(s) matched but none has an address of type ExternalIP', 'spec.nodes[0]'),
        warn('the policy allows no address: every request gets deny(403)', 'spec'),
      ],
      status: status('web-allowlist', 1, 0, 0),
    },
  },
  {
    name: 'addressTypes [InternalIP, ExternalIP] on the real nodes; Hostname is never taken',
    input: { securityPolicy: sp({ nodes: [{ name: 'all-ips', addressTypes: ['InternalIP', 'ExternalIP'] }] }), nodes: realNodes() },
    expected: {
      objects: [policy({ rules: [allow('all-ips', [`${PRIVATE_INTERNAL}/32`, `${SPOT_INTERNAL}/32`, `${PUBLIC_INTERNAL}/32`, `${SPOT}/32`, `${PUBLIC}/32`]), deflt()] })],
      findings: [],
      status: status('web-allowlist', 2, 5, 5),
    },
  },
  {
    name: 'addressTypes [Hostname] warns per node and allows nothing',
    input: { securityPolicy: sp({ nodes: [{ name: 'hosts', addressTypes: ['Hostname'], selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-1' } } }] }), nodes: realNodes() },
    expected: {
      objects: [policy({ rules: [deflt()] })],
      findings: [
        warn('node gke-gar-1-pool-1-dce25db1-2mm5: Hostname "gke-gar-1-pool-1-dce25db1-2mm5" is not an IP address; skipped', 'spec.nodes[0]', 'gke-gar-1-pool-1-dce25db1-2mm5'),
        warn('nodes entry hosts: 1 Node(s) matched but none has an address of type Hostname', 'spec.nodes[0]'),
        warn('the policy allows no address: every request gets deny(403)', 'spec'),
      ],
      status: status('web-allowlist', 1, 0, 0),
    },
  },
  {
    name: 'matchExpressions: In, NotIn, Exists, DoesNotExist (with matchLabels)',
    input: {
      securityPolicy: sp({
        nodes: [
          { name: 'in-pools', addressTypes: ['InternalIP'], selector: { matchExpressions: [{ key: 'cloud.google.com/gke-nodepool', operator: 'In', values: ['pool-1', 'dev-general'] }] } },
          { name: 'not-spot', addressTypes: ['InternalIP'], selector: { matchExpressions: [{ key: 'cloud.google.com/gke-spot', operator: 'NotIn', values: ['true'] }] } },
          { name: 'preemptible', addressTypes: ['InternalIP'], selector: { matchExpressions: [{ key: 'cloud.google.com/gke-preemptible', operator: 'Exists' }] } },
          { name: 'no-private-label', addressTypes: ['InternalIP'], selector: { matchExpressions: [{ key: 'cloud.google.com/private-node', operator: 'DoesNotExist' }] } },
          {
            name: 'public-spot',
            selector: {
              matchLabels: { 'cloud.google.com/private-node': 'false' },
              matchExpressions: [{ key: 'cloud.google.com/gke-provisioning', operator: 'In', values: ['spot'] }, { key: 'env', operator: 'Exists' }],
            },
          },
          { name: 'nothing', selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-1' }, matchExpressions: [{ key: 'beta.kubernetes.io/arch', operator: 'NotIn', values: ['amd64'] }] } },
        ],
      }),
      nodes: realNodes(),
    },
    expected: {
      objects: [policy({ rules: [
        allow('in-pools', [`${PRIVATE_INTERNAL}/32`, `${PUBLIC_INTERNAL}/32`]),
        allow('not-spot', [`${PRIVATE_INTERNAL}/32`, `${PUBLIC_INTERNAL}/32`]),
        allow('preemptible', [`${PUBLIC_INTERNAL}/32`]),
        allow('no-private-label', [`${PUBLIC_INTERNAL}/32`]),
        allow('public-spot', [`${SPOT}/32`]),
        deflt(),
      ] })],
      findings: [warn('nodes entry nothing matched no Ready Node; it contributes no rule (whenNoNodes: Remove)', 'spec.nodes[5]')],
      status: status('web-allowlist', 6, 7, 3),
    },
  },
  {
    name: 'not-Ready Nodes are skipped by default',
    input: { securityPolicy: sp({ nodes: [{ name: 'pool-2', selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-2' } } }] }), nodes: [...realNodes(), notReady, unknownReady] },
    expected: {
      objects: [policy({ rules: [deflt()] })],
      findings: [
        warn('nodes entry pool-2 matched no Ready Node; it contributes no rule (whenNoNodes: Remove)', 'spec.nodes[0]'),
        warn('the policy allows no address: every request gets deny(403)', 'spec'),
      ],
      status: status('web-allowlist', 1, 0, 0),
    },
  },
  {
    name: 'includeNotReady takes Ready=False and Ready=Unknown Nodes',
    input: { securityPolicy: sp({ nodes: [{ name: 'pool-2', includeNotReady: true, selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-2' } } }] }), nodes: [unknownReady, ...realNodes(), notReady] },
    expected: {
      objects: [policy({ rules: [allow('pool-2', ['35.192.0.9/32', '35.192.0.10/32']), deflt()] })],
      findings: [],
      status: status('web-allowlist', 2, 2, 2),
    },
  },
  {
    name: 'addressTypes [InternalIP] with a dual-stack Node: IPv4 and IPv6 InternalIPs',
    input: { securityPolicy: sp({ nodes: [{ name: 'internal', addressTypes: ['InternalIP'], selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-3' } } }] }), nodes: [...realNodes(), dualStack] },
    expected: {
      objects: [policy({ rules: [allow('internal', ['10.128.0.11/32', '2600:1900:4000:1::5/128']), deflt()] })],
      findings: [],
      status: status('web-allowlist', 2, 2, 2),
    },
  },
  {
    name: 'defaultAction allow: no "allows nothing" warning',
    input: { securityPolicy: sp({ defaultAction: 'allow' }), nodes: [] },
    expected: { objects: [policy({ rules: [deflt('allow')] })], findings: [], status: status('web-allowlist', 1, 0, 0) },
  },
  {
    name: 'defaultAction deny(502)',
    input: { securityPolicy: sp({ defaultAction: 'deny(502)', sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] }), nodes: [] },
    expected: { objects: [policy({ rules: [allow('office', ['203.0.113.0/24']), deflt('deny(502)')] })], findings: [], status: status('web-allowlist', 2, 1, 0) },
  },
  {
    name: 'preview under deny: every allow rule and the default rule are previewed',
    input: { securityPolicy: sp({ preview: true, defaultAction: 'deny(404)', sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes: [{ name: 'gke' }] }), nodes: realNodes() },
    expected: {
      objects: [policy({ rules: [allow('office', ['203.0.113.0/24'], { preview: true }), allow('gke', [`${SPOT}/32`, `${PUBLIC}/32`], { preview: true }), deflt('deny(404)', true)] })],
      findings: [],
      status: status('web-allowlist', 3, 3, 2),
    },
  },
  {
    name: 'preview under allow: the default rule stays enforced',
    input: { securityPolicy: sp({ preview: true, defaultAction: 'allow', sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] }), nodes: [] },
    expected: { objects: [policy({ rules: [allow('office', ['203.0.113.0/24'], { preview: true }), deflt('allow', false)] })], findings: [], status: status('web-allowlist', 2, 1, 0) },
  },
  {
    name: 'policy block: name, project annotation, type, description; namespace from metadata',
    input: {
      securityPolicy: sp(
        { policy: { name: 'edge-allowlist', projectID: 'my-gcp-project', type: 'CLOUD_ARMOR_EDGE', description: 'Allowlist for the web ingress' }, sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] },
        { name: 'web', namespace: 'team-web', labels: { a: 'b' } },
      ),
      nodes: [],
    },
    expected: {
      objects: [policy({ name: 'edge-allowlist', from: 'web', namespace: 'team-web', project: 'my-gcp-project', type: 'CLOUD_ARMOR_EDGE', description: 'Allowlist for the web ingress', rules: [allow('office', ['203.0.113.0/24']), deflt()] })],
      findings: [],
      status: status('edge-allowlist', 2, 1, 0),
    },
  },
  {
    name: 'policy name defaults to metadata.name; the default description names namespace/name',
    input: { securityPolicy: sp({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] }, { name: 'shop', namespace: 'team-shop' }), nodes: [] },
    expected: { objects: [policy({ name: 'shop', namespace: 'team-shop', rules: [allow('office', ['203.0.113.0/24']), deflt()] })], findings: [], status: status('shop', 2, 1, 0) },
  },
  {
    name: 'attachments: BackendConfig and GCPBackendPolicy, namespace defaulted, sorted, deduplicated',
    input: {
      securityPolicy: sp(
        {
          sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }],
          attach: {
            backendConfigs: [{ name: 'web' }, { name: 'api', namespace: 'api' }, { name: 'web' }],
            gcpBackendPolicies: [{ name: 'web', targetRef: { group: '', kind: 'Service', name: 'web' } }, { name: 'shop', namespace: 'shop', targetRef: { group: 'net.gke.io', kind: 'ServiceImport', name: 'shop', namespace: 'shop' } }],
          },
        },
        { name: 'web-allowlist', namespace: 'web' },
      ),
      nodes: [],
    },
    expected: {
      objects: [
        policy({ namespace: 'web', rules: [allow('office', ['203.0.113.0/24']), deflt()] }),
        { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'api', namespace: 'api' }, spec: { securityPolicy: { name: 'web-allowlist' } } },
        { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'web', namespace: 'web' }, spec: { securityPolicy: { name: 'web-allowlist' } } },
        { apiVersion: 'networking.gke.io/v1', kind: 'GCPBackendPolicy', metadata: { name: 'shop', namespace: 'shop' }, spec: { default: { securityPolicy: 'web-allowlist' }, targetRef: { group: 'net.gke.io', kind: 'ServiceImport', name: 'shop', namespace: 'shop' } } },
        { apiVersion: 'networking.gke.io/v1', kind: 'GCPBackendPolicy', metadata: { name: 'web', namespace: 'web' }, spec: { default: { securityPolicy: 'web-allowlist' }, targetRef: { group: '', kind: 'Service', name: 'web' } } },
      ],
      findings: [],
      status: status('web-allowlist', 2, 1, 0),
    },
  },
  {
    name: 'chunking: 12 unmergeable ranges -> "partners 1/2" (10) and "partners 2/2" (2), consecutive priorities',
    input: { securityPolicy: sp({ sources: [{ name: 'partners', cidrs: [...twelve].reverse() }] }), nodes: [] },
    expected: {
      objects: [policy({ rules: [
        allow('partners', twelve.slice(0, 10).map((a) => `${a}/32`), { index: 1, total: 2 }),
        allow('partners', twelve.slice(10).map((a) => `${a}/32`), { index: 2, total: 2 }),
        deflt(),
      ] })],
      findings: [],
      status: status('web-allowlist', 3, 12, 0),
    },
  },
  {
    name: 'exactly 10 ranges fit one rule; 20 make two full rules',
    input: {
      securityPolicy: sp({ sources: [
        { name: 'ten', cidrs: twelve.slice(0, 10) },
        { name: 'twenty', cidrs: Array.from({ length: 20 }, (_, i) => `192.0.2.${i * 4}/31`) },
      ] }),
      nodes: [],
    },
    expected: {
      objects: [policy({ rules: [
        allow('ten', twelve.slice(0, 10).map((a) => `${a}/32`)),
        allow('twenty', Array.from({ length: 10 }, (_, i) => `192.0.2.${i * 4}/31`), { index: 1, total: 2 }),
        allow('twenty', Array.from({ length: 10 }, (_, i) => `192.0.2.${40 + i * 4}/31`), { index: 2, total: 2 }),
        deflt(),
      ] })],
      findings: [],
      status: status('web-allowlist', 4, 30, 0),
    },
  },
  {
    name: 'description truncation: a 63-character name keeps the " i/n" suffix within 64 characters',
    input: { securityPolicy: sp({ sources: [{ name: `partner-${'x'.repeat(54)}z`, cidrs: twelve }] }), nodes: [] },
    expected: {
      objects: [policy({ rules: [
        allow(`partner-${'x'.repeat(54)}z`, twelve.slice(0, 10).map((a) => `${a}/32`), { index: 1, total: 2, description: `partner-${'x'.repeat(52)} 1/2` }),
        allow(`partner-${'x'.repeat(54)}z`, twelve.slice(10).map((a) => `${a}/32`), { index: 2, total: 2, description: `partner-${'x'.repeat(52)} 2/2` }),
        deflt(),
      ] })],
      findings: [],
      status: status('web-allowlist', 3, 12, 0),
    },
  },
];

// whenNoNodes: the previous policy is this render's own output with the real nodes present.
const keepSpec = (whenNoNodes: 'Keep' | 'Remove') =>
  sp({ sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes: [{ name: 'gke-egress', whenNoNodes, selector: { matchLabels: { 'cloud.google.com/gke-nodepool': 'pool-1' } } }] });
const previous = render({ securityPolicy: keepSpec('Keep'), nodes: realNodes() }).objects[0];

cases.push(
  {
    name: 'whenNoNodes Keep: no matching Node -> the previous policy\'s ranges for that entry are kept',
    input: { securityPolicy: keepSpec('Keep'), nodes: [realPrivateNode(), realSpotNode()], previousPolicy: previous },
    expected: {
      objects: [policy({ rules: [allow('office', ['203.0.113.0/24']), allow('gke-egress', [`${PUBLIC}/32`]), deflt()] })],
      findings: [warn(`nodes entry gke-egress matched no Ready Node; keeping the 1 range(s) of the existing policy (whenNoNodes: Keep): ${PUBLIC}/32`, 'spec.nodes[0]')],
      status: status('web-allowlist', 3, 2, 1),
    },
  },
  {
    name: 'whenNoNodes Keep: a not-Ready node does not count as matching',
    input: { securityPolicy: keepSpec('Keep'), nodes: [makeNode({ name: 'gke-gar-1-pool-1-new', pool: 'pool-1', internalIP: '10.128.0.5', externalIP: '35.192.99.1', ready: false })], previousPolicy: previous },
    expected: {
      objects: [policy({ rules: [allow('office', ['203.0.113.0/24']), allow('gke-egress', [`${PUBLIC}/32`]), deflt()] })],
      findings: [warn(`nodes entry gke-egress matched no Ready Node; keeping the 1 range(s) of the existing policy (whenNoNodes: Keep): ${PUBLIC}/32`, 'spec.nodes[0]')],
      status: status('web-allowlist', 3, 2, 1),
    },
  },
  {
    name: 'whenNoNodes Keep: matching Nodes replace the previous ranges',
    input: { securityPolicy: keepSpec('Keep'), nodes: [makeNode({ name: 'gke-gar-1-pool-1-new', pool: 'pool-1', internalIP: '10.128.0.5', externalIP: '35.192.99.1' })], previousPolicy: previous },
    expected: {
      objects: [policy({ rules: [allow('office', ['203.0.113.0/24']), allow('gke-egress', ['35.192.99.1/32']), deflt()] })],
      findings: [],
      status: status('web-allowlist', 3, 2, 1),
    },
  },
  {
    name: 'whenNoNodes Keep without a previous policy keeps nothing',
    input: { securityPolicy: keepSpec('Keep'), nodes: [] },
    expected: {
      objects: [policy({ rules: [allow('office', ['203.0.113.0/24']), deflt()] })],
      findings: [warn('nodes entry gke-egress matched no Ready Node; keeping the 0 range(s) of the existing policy (whenNoNodes: Keep) (there is no existing policy)', 'spec.nodes[0]')],
      status: status('web-allowlist', 2, 1, 0),
    },
  },
  {
    name: 'whenNoNodes Remove: no matching Node -> the entry\'s rules are dropped despite the previous policy',
    input: { securityPolicy: keepSpec('Remove'), nodes: [realPrivateNode()], previousPolicy: previous },
    expected: {
      objects: [policy({ rules: [allow('office', ['203.0.113.0/24']), deflt()] })],
      findings: [warn('nodes entry gke-egress matched no Ready Node; it contributes no rule (whenNoNodes: Remove)', 'spec.nodes[0]')],
      status: status('web-allowlist', 2, 1, 0),
    },
  },
);

// A long nodes-entry name is truncated in the rule description; Keep must still find its rules.
const longName = `egress-${'n'.repeat(55)}1`; // 63 characters
const longSpec = sp({ nodes: [{ name: longName, whenNoNodes: 'Keep' }] });
const longPrevious = render({ securityPolicy: longSpec, nodes: [realPublicNode()] }).objects[0];
cases.push({
  name: 'whenNoNodes Keep finds the previous rules of an entry whose name was truncated in the description',
  input: { securityPolicy: longSpec, nodes: [], previousPolicy: longPrevious },
  expected: {
    objects: [policy({ rules: [allow(longName, [`${PUBLIC}/32`], { description: `${longName.slice(0, 60)} 1/1` }), deflt()] })],
    findings: [warn(`nodes entry ${longName} matched no Ready Node; keeping the 1 range(s) of the existing policy (whenNoNodes: Keep): ${PUBLIC}/32`, 'spec.nodes[0]')],
    status: status('web-allowlist', 2, 1, 1),
  },
});

// ---------------------------------------------------------------- the tests

for (const c of cases) {
  test(`render: ${c.name}`, () => {
    const out = render(c.input);
    const { spec: _spec, ...rest } = out;
    assert.deepStrictEqual(JSON.parse(JSON.stringify(rest)), JSON.parse(JSON.stringify(c.expected)));
    for (const o of out.objects) {
      assert.deepEqual(validateAgainstKcc(o), [], `${o.kind} ${o.metadata.name} must validate`);
      if (o.kind === 'ComputeSecurityPolicy') assert.deepEqual(cloudArmorLimitErrors(o), []);
    }
    for (const r of (out.objects[0]?.spec?.rule ?? []) as Rule[]) assert.ok(r.description.length <= 64);
    // rendering is a pure function: same input, same bytes
    assert.equal(JSON.stringify(render(c.input)), JSON.stringify(out));
  });
}

test('render does not modify its input', () => {
  for (const c of cases) {
    const before = JSON.stringify(c.input);
    render(c.input);
    assert.equal(JSON.stringify(c.input), before);
  }
});
