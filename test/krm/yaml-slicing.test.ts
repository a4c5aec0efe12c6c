// Examples of YAML that other tools write and that the reader's text slicing got wrong: each is a
// case the property test (yaml-styles.property.test.ts) covers in general.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { parseResourceListText } from '../../fn/krm/item-sources';
import { krmOutputText, runKrm } from '../../fn/krm/main';
import { processResourceList } from '../../fn/krm/process';
import { SCHEMA } from '../../fn/krm/yaml';

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

/** The function's output text parses and means what a plain full parse of the input gives. */
function assertLikeFullParse(input: string): { out: string; ok: boolean } {
  const expected = processResourceList(yaml.load(input.replace(/^\uFEFF/, ''), { schema: SCHEMA }));
  const run = runKrm(input);
  const out = krmOutputText(run);
  const reread = yaml.load(out, { schema: SCHEMA });
  assert.equal(run.ok, expected.ok, run.summary.join('\n'));
  assert.deepEqual(asJson(reread), asJson(expected.output), out);
  return { out, ok: run.ok };
}

const SP = `  - apiVersion: security.example.org/v1alpha1
    kind: SecurityPolicy
    metadata: {name: web}
    spec:
      nodes:
        - name: egress
`;
const NODE = (name: string, ip: string) => `  - apiVersion: v1
    kind: Node
    metadata:
      name: ${name}
    status:
      addresses:
        - {type: ExternalIP, address: ${ip}}
      conditions: [{type: Ready, status: "True"}]
`;

test('slicing: sequences indented under their key (js-yaml, PyYAML), with comments between items', () => {
  const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${SP}  # the cluster\n${NODE('n1', '35.1.1.1')}${NODE('n2', '35.2.2.2')}functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: fc}\n`;
  const { out, ok } = assertLikeFullParse(input);
  assert.equal(ok, true);
  assert.ok(out.includes(NODE('n2', '35.2.2.2')), 'an untouched item is written back as it came');
});

test('slicing: an item using an anchor of the functionConfig or of another item is written whole', () => {
  const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: fc, labels: &shared {team: web}}
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a, labels: *shared}
  data: &data {x: "1"}
${SP.replace(/^ {2}/gm, '')}- apiVersion: v1
  kind: ConfigMap
  metadata: {name: b}
  data: *data
`;
  const { out } = assertLikeFullParse(input);
  assert.doesNotMatch(out, /\*shared|\*data/, 'no alias left without its anchor');
});

test('slicing: a BOM and CRLF line ends, with document markers', () => {
  const input = `\uFEFF---\r\napiVersion: config.kubernetes.io/v1\r\nkind: ResourceList\r\nitems:\r\n${(SP + NODE('n1', '35.1.1.1')).replace(/\n/g, '\r\n')}...\r\n`;
  assert.equal(assertLikeFullParse(input).ok, true);
});

test('slicing: a quoted string over several lines in a Node\'s status is not cut into structure', () => {
  // js-yaml and PyYAML read one image name holding the text "addresses: [...]"; this Node has no
  // addresses. Cutting the lines of `images:` and `nodeInfo:` out of the text made it one.
  const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
${SP.replace(/^ {2}/gm, '')}- apiVersion: v1
  kind: Node
  metadata: {name: n1}
  status:
    images:
    - names: ["x
    addresses: [{type: ExternalIP, address: 35.66.66.66}]
    nodeInfo:
      a: y"]
    conditions: [{type: Ready, status: "True"}]
`;
  const { out } = assertLikeFullParse(input);
  const policy = (yaml.load(out, { schema: SCHEMA }) as { items: Array<{ kind: string; spec?: { rule: Array<{ match: { config: { srcIpRanges: string[] } } }> } }> })
    .items.find((i) => i.kind === 'ComputeSecurityPolicy')!;
  assert.ok(!policy.spec!.rule.some((r) => r.match.config.srcIpRanges.includes('35.66.66.66/32')));
});

test('slicing: Nodes written the way kpt writes them are read without their unread blocks (the fast path)', () => {
  const node = `- apiVersion: v1
  kind: Node
  metadata:
    name: n1
    labels:
      pool: a
  spec:
    podCIDR: 10.4.0.0/24
  status:
    addresses:
    - type: ExternalIP
      address: 35.1.1.1
    images:
    - names:
      - gcr.io/a@sha256:0
      sizeBytes: 1
    conditions:
    - type: Ready
      status: "True"
`;
  const parsed = parseResourceListText(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${SP.replace(/^ {2}/gm, '')}${node}`);
  const item = (parsed.value as { items: Array<{ spec?: unknown; status: { images?: unknown; addresses: unknown } }> }).items[1]!;
  assert.equal(item.status.images, undefined);
  assert.equal(item.spec, undefined);
  assert.deepEqual(item.status.addresses, [{ type: 'ExternalIP', address: '35.1.1.1' }]);
  assert.equal(parsed.sources?.get(item)?.text, node, 'and written back whole');
});

test('slicing: with a %YAML directive every item is dumped, so Nodes are read whole, never written back cut', () => {
  const node = `- apiVersion: v1
  kind: Node
  metadata:
    name: n1
  status:
    addresses:
    - type: ExternalIP
      address: 35.1.1.1
    images:
    - names:
      - gcr.io/a@sha256:0
      sizeBytes: 1
`;
  const input = `%YAML 1.2\n---\napiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${SP.replace(/^ {2}/gm, '')}${node}`;
  const { out } = assertLikeFullParse(input);
  assert.match(out, /gcr\.io\/a@sha256:0/);
});
