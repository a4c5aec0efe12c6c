// The KRM adapter as a pure function, table-driven: each case gives a whole ResourceList (as YAML, the
// way kpt sends it) and diffs the whole ResourceList that comes out, plus the exit status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { krmOutputText, runKrm } from '../../fn/krm/main';
import { parseDocument, toYaml } from '../../fn/krm/yaml';
import { validateAgainstKcc } from '../helpers/crd';

const SP = `apiVersion: security.example.org/v1alpha1
kind: SecurityPolicy
metadata:
  name: web
  namespace: team-web
  annotations:
    config.kubernetes.io/path: sp.yaml
    config.kubernetes.io/index: '0'
    internal.config.kubernetes.io/path: sp.yaml
    internal.config.kubernetes.io/index: '0'
spec:
  policy: {projectID: proj}
  sources:
    - name: office
      cidrs: ["203.0.113.0/25", "203.0.113.128/25"]
  nodes:
    - name: egress
      whenNoNodes: Keep`;

const NODE = `apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {pool: a}
  annotations: {config.kubernetes.io/local-config: "true", config.kubernetes.io/path: nodes.yaml, internal.config.kubernetes.io/path: nodes.yaml}
status:
  addresses: [{type: ExternalIP, address: 35.1.2.3}, {type: InternalIP, address: 10.0.0.3}]
  conditions: [{type: Ready, status: "True"}]`;

const SNAPSHOT_OF_NONE = `apiVersion: security.example.org/v1alpha1
kind: NodeSnapshot
metadata:
  name: nodes
  annotations: {config.kubernetes.io/local-config: "true", config.kubernetes.io/path: nodes.yaml, internal.config.kubernetes.io/path: nodes.yaml}
nodeCount: 0`;

function list(items: string[], functionConfig?: string): string {
  const indent = (s: string) => s.split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n');
  let out = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items.map(indent).join('\n')}\n`;
  if (items.length === 0) out = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n';
  if (functionConfig) out += `functionConfig:\n${functionConfig.split('\n').map((l) => `  ${l}`).join('\n')}\n`;
  return out;
}

const policy = (ranges: Record<string, string[]>, annotations: Record<string, string>) => ({
  apiVersion: 'compute.cnrm.cloud.google.com/v1beta1',
  kind: 'ComputeSecurityPolicy',
  metadata: { name: 'web', namespace: 'team-web', annotations },
  spec: {
    description: 'Allowlist managed by function-security-policy from SecurityPolicy team-web/web',
    resourceID: 'web',
    rule: [
      ...Object.entries(ranges).map(([d, r]) => ({
        action: 'allow', description: d, match: { config: { srcIpRanges: r }, versionedExpr: 'SRC_IPS_V1' }, preview: false,
        priority: d.startsWith('egress') ? 1_372_940_000 : 1_781_450_000,
      })),
      { action: 'deny(403)', description: 'default rule', match: { config: { srcIpRanges: ['*'] }, versionedExpr: 'SRC_IPS_V1' }, preview: false, priority: 2147483647 },
    ],
    type: 'CLOUD_ARMOR',
  },
});

const newFileAnnotations = {
  'cnrm.cloud.google.com/project-id': 'proj',
  'config.kubernetes.io/index': '0',
  'config.kubernetes.io/path': 'generated/web.yaml',
  'function-security-policy/generated-from': 'SecurityPolicy/team-web/web',
  'internal.config.kubernetes.io/index': '0',
  'internal.config.kubernetes.io/path': 'generated/web.yaml',
};

const spRef = { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', name: 'web', namespace: 'team-web' };
const infoResult = (rules: number, ranges: number, nodes: number) => ({
  message: `generated ComputeSecurityPolicy web: ${rules} rules, ${ranges} ranges, ${nodes} node addresses`,
  severity: 'info', resourceRef: spRef, file: { path: 'sp.yaml', index: 0 },
});

const asJson = (yamlText: string) => JSON.parse(JSON.stringify(parseDocument(yamlText)));

function parsed(text: string) {
  const out = runKrm(text);
  return { ok: out.ok, output: JSON.parse(JSON.stringify(out.output)), summary: out.summary };
}

test('KRM: generates, upserts and keeps', async (t) => {
  const cases: Array<{ name: string; input: string; ok: boolean; items: unknown[]; results: unknown[] }> = [
    {
      name: 'SecurityPolicy among the items, one Ready node: policy appended under generated/',
      input: list([SP, NODE]),
      ok: true,
      items: ['SP', 'NODE', policy({ 'egress 1/1': ['35.1.2.3/32'], 'office 1/1': ['203.0.113.0/24'] }, newFileAnnotations)],
      results: [infoResult(3, 2, 1)],
    },
    {
      name: 'whenNoNodes Keep with no Node: the ranges of the existing generated policy are kept',
      // The cluster really has no Node: the snapshot says so (without it, no Node at all is an error).
      input: list([SP, SNAPSHOT_OF_NONE, toYaml(policy({ 'egress 1/1': ['35.9.9.9/32'], 'office 1/1': ['198.51.100.0/24'] }, newFileAnnotations)).trimEnd()]),
      ok: true,
      items: ['SP', 'SNAPSHOT_OF_NONE', policy({ 'egress 1/1': ['35.9.9.9/32'], 'office 1/1': ['203.0.113.0/24'] }, newFileAnnotations)],
      results: [
        { message: 'nodes entry egress matched no Ready Node; keeping the 1 range(s) of the existing policy (whenNoNodes: Keep): 35.9.9.9/32', severity: 'warning', resourceRef: spRef, field: { path: 'spec.nodes[0]' }, file: { path: 'sp.yaml', index: 0 } },
        infoResult(3, 2, 1),
      ],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = parsed(c.input);
      // Untouched items must come out exactly as they went in.
      const resolveItem = (i: unknown) => (i === 'SP' ? asJson(SP) : i === 'NODE' ? asJson(NODE) : i === 'SNAPSHOT_OF_NONE' ? asJson(SNAPSHOT_OF_NONE) : i);
      assert.deepEqual(got, {
        ok: c.ok,
        output: { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: c.items.map(resolveItem), results: c.results },
        summary: [],
      });
      for (const item of got.output.items) if (item.kind === 'ComputeSecurityPolicy') assert.deepEqual(validateAgainstKcc(item), []);
    });
  }
});

test('KRM: a re-run replaces what it generated, keeps other tools\' annotations, prunes and patches', () => {
  const withAttach = SP.replace('  policy: {projectID: proj}', '  policy: {projectID: proj}\n  attach:\n    backendConfigs: [{name: web}]');
  const userBackendConfig = `apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata: {name: web, namespace: team-web, annotations: {internal.config.kubernetes.io/path: bc.yaml}}
spec: {timeoutSec: 40}`;
  const first = runKrm(list([withAttach, NODE, userBackendConfig]));
  assert.equal(first.ok, true);
  const bc = first.output.items.find((i) => i.kind === 'BackendConfig')!;
  assert.deepEqual(JSON.parse(JSON.stringify(bc)), {
    apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig',
    metadata: { name: 'web', namespace: 'team-web', annotations: { 'internal.config.kubernetes.io/path': 'bc.yaml' } },
    spec: { timeoutSec: 40, securityPolicy: { name: 'web' } },
  });

  // kpt adds its own annotation to Config Connector objects; a re-run must keep it and change nothing else.
  const rendered = first.output.items.map((i) =>
    i.kind === 'ComputeSecurityPolicy' ? { ...i, metadata: { ...i.metadata, annotations: { ...i.metadata!.annotations, 'cnrm.cloud.google.com/blueprint': 'kpt-fn' } } } : i);
  const again = runKrm(toYaml({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: rendered }));
  assert.equal(again.ok, true);
  assert.equal(toYaml(again.output.items), toYaml(rendered));

  // Dropping the generated BackendConfig's attachment prunes it; a hand-written one is only ever patched.
  const generatedBc = runKrm(list([withAttach, NODE]));
  assert.ok(generatedBc.output.items.some((i) => i.kind === 'BackendConfig'));
  const pruned = runKrm(toYaml({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: generatedBc.output.items.map((i) => (i.kind === 'SecurityPolicy' ? asJson(SP) : i)) }));
  assert.equal(pruned.ok, true);
  assert.deepEqual(pruned.output.items.map((i) => i.kind), ['SecurityPolicy', 'Node', 'ComputeSecurityPolicy']);
});

test('KRM: items it does not own leave byte-identical (numbers, dates, yes/on, annotations)', () => {
  const other = `apiVersion: v1
kind: ConfigMap
metadata:
  name: odd
  annotations:
    config.kubernetes.io/path: cm.yaml
    internal.config.kubernetes.io/path: cm.yaml
    internal.config.kubernetes.io/index: "3"
    kustomize.config.k8s.io/id: |
      kind: ConfigMap
data: {}
spec:
  hex: 0x1F
  float: 1.0
  exp: 1e3
  big: 12345678901234567890
  date: 2019-01-01
  yes: yes
  on: on
  empty: []
  nothing: {}
  int: 42`;
  const quoted = `${other}\n  quoted: 'single' # and a comment\n  folded: >-\n    two\n    lines`;
  const input = list([SP, NODE, quoted]);
  const out = runKrm(input);
  assert.equal(out.ok, true);
  // The item's text comes out exactly as it went in: quotes, comments, number spellings and all.
  const itemText = `- ${quoted.split('\n').join('\n  ')}\n`;
  assert.ok(input.includes(itemText));
  assert.ok(krmOutputText(out).includes(itemText), krmOutputText(out));
  // And the parsed values survive a trip through the dumper too (the path taken for JSON input).
  const after = toYaml(out.output.items.find((i) => i.kind === 'ConfigMap'));
  assert.equal(after, toYaml(parseDocument(quoted)));
  assert.match(after, /hex: 0x1F\n  float: 1.0\n  exp: 1e3\n  big: 12345678901234567890\n  date: "?2019-01-01"?\n/);
});

test('KRM: functionConfig may be the SecurityPolicy, or a List of them', () => {
  const asConfig = runKrm(list([NODE], SP));
  assert.equal(asConfig.ok, true);
  assert.deepEqual(asConfig.output.items.map((i) => i.kind), ['Node', 'ComputeSecurityPolicy']);
  const listConfig = `apiVersion: v1\nkind: List\nitems:\n${SP.split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n')}`;
  assert.deepEqual(runKrm(list([NODE], listConfig)).output.items.map((i) => i.kind), ['Node', 'ComputeSecurityPolicy']);
});

test('KRM: bad input fails whole, with results naming the field and value, items unchanged', async (t) => {
  const cases: Array<{ name: string; input: string; results: unknown[]; summary: string[]; items?: number }> = [
    {
      name: 'invalid CIDR',
      input: list([SP.replace('"203.0.113.128/25"', '"203.0.113.300/25"'), NODE]),
      results: [{
        message: '"203.0.113.300/25" is not a valid IPv4 address or CIDR (dotted decimal a.b.c.d[/p])', severity: 'error', resourceRef: spRef,
        field: { path: 'spec.sources[0].cidrs[1]', currentValue: '203.0.113.300/25' }, file: { path: 'sp.yaml', index: 0 },
      }],
      summary: ['error: SecurityPolicy team-web/web: spec.sources[0].cidrs[1]: "203.0.113.300/25" is not a valid IPv4 address or CIDR (dotted decimal a.b.c.d[/p])'],
      items: 2,
    },
    {
      name: 'a ResourceList of the wrong kind',
      input: 'apiVersion: v1\nkind: ConfigMap\nitems: []\n',
      results: [{ message: 'input must be a ResourceList (apiVersion config.kubernetes.io/v1), got kind "ConfigMap" apiVersion "v1"', severity: 'error' }],
      summary: ['error: input must be a ResourceList (apiVersion config.kubernetes.io/v1), got kind "ConfigMap" apiVersion "v1"'],
      items: 0,
    },
    {
      name: 'no SecurityPolicy anywhere',
      input: list([NODE]),
      results: [{ message: 'no SecurityPolicy found: put one in functionConfig or among the items', severity: 'error' }],
      summary: ['error: no SecurityPolicy found: put one in functionConfig or among the items'],
      items: 1,
    },
    {
      name: 'empty stdin',
      input: '  \n',
      results: [{ message: 'stdin is empty: expected a ResourceList (kind: ResourceList, apiVersion: config.kubernetes.io/v1)', severity: 'error' }],
      summary: ['error: stdin is empty: expected a ResourceList (kind: ResourceList, apiVersion: config.kubernetes.io/v1)'],
      items: 0,
    },
    {
      name: 'malformed YAML',
      input: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [\n',
      results: [{ message: 'malformed YAML: unexpected end of the stream within a flow collection at line 4, column 1', severity: 'error' }],
      summary: ['error: malformed YAML: unexpected end of the stream within a flow collection at line 4, column 1'],
      items: 0,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const out = runKrm(c.input);
      assert.equal(out.ok, false);
      assert.deepEqual(JSON.parse(JSON.stringify(out.output.results)), c.results);
      assert.deepEqual(out.summary, c.summary);
      assert.equal(out.output.items.length, c.items);
      assert.ok(!out.output.items.some((i) => i.kind === 'ComputeSecurityPolicy'), 'nothing generated on error');
    });
  }
});

test('KRM: a NodeList with a null item is read around it, not a crash', () => {
  const nodeList = `apiVersion: v1
kind: NodeList
items:
  - null
  - metadata: {name: n9}
    status:
      addresses: [{type: ExternalIP, address: 35.9.9.9}]
      conditions: [{type: Ready, status: "True"}]`;
  const out = runKrm(list([SP, nodeList]));
  assert.equal(out.ok, true, JSON.stringify(out.output.results));
  const policy = out.output.items.find((i) => i.kind === 'ComputeSecurityPolicy') as { spec: { rule: Array<{ description: string; match: { config: { srcIpRanges: string[] } } }> } };
  assert.deepEqual(policy.spec.rule.find((r) => r.description === 'egress 1/1')!.match.config.srcIpRanges, ['35.9.9.9/32']);
});

test('KRM: two SecurityPolicies generating one Cloud Armor policy fail, whatever their order', () => {
  const other = SP.replace('name: web\n  namespace: team-web', 'name: web-too\n  namespace: team-web').replace('policy: {projectID: proj}', 'policy: {projectID: proj, name: web}');
  for (const items of [[SP, other, NODE], [other, SP, NODE]]) {
    const out = runKrm(list(items));
    assert.equal(out.ok, false);
    assert.ok(!out.output.items.some((i) => i.kind === 'ComputeSecurityPolicy'));
    assert.match(out.summary.join('\n'), /generates ComputeSecurityPolicy team-web\/web, which SecurityPolicy team-web\/web(-too)? generates too/);
  }
});
