// The KRM reader's text slicing (items written back from their source text, Node blocks cut before
// parsing) against a plain full parse, on the same ResourceList written in many YAML styles: the
// output must parse, and must equal what the function makes of a full parse without any cut or slice
// (so unchanged items equal the input, and the generated policy is the same).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { krmOutputText, runKrm } from '../../fn/krm/main';
import { processResourceList } from '../../fn/krm/process';
import { SCHEMA } from '../../fn/krm/yaml';
import { prng } from '../helpers/nodes';
import { writeYaml, type YamlStyle } from '../helpers/yaml-styles';

/** Words that look like YAML structure when a string is written over several lines. */
const WORDS = ['kind: Node', 'kind:', 'Node', 'images:', '- names: [x]', 'addresses:', '- type: ExternalIP', 'address: 35.66.66.66',
  'spec:', 'status:', '-', 'x', '#', 'sizeBytes: 1', 'conditions:', 'a'];

function tricky(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 6);
  let s = WORDS[Math.floor(rand() * WORDS.length)]!;
  for (let i = 1; i < n; i++) s += (rand() < 0.4 ? '\n' : ' ') + WORDS[Math.floor(rand() * WORDS.length)]!;
  return rand() < 0.3 ? `${s}\n` : s;
}

function shuffled<T>(rand: () => number, xs: T[]): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A ResourceList: one SecurityPolicy, Nodes (with the blocks the reader cuts), ConfigMaps. */
function resourceList(seed: number, shareWithin: boolean, shareAcross: boolean): Record<string, unknown> {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const ip = () => `35.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
  const items: unknown[] = [{
    apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web', namespace: 'team' },
    spec: {
      sources: [{ name: 'office', cidrs: ['203.0.113.0/24', ip()] }],
      nodes: [{ name: 'egress', ...(rand() < 0.5 ? { selector: { matchLabels: { pool: 'a' } } } : {}), addressTypes: ['ExternalIP'] }],
    },
  }];
  let sharedLabels: object | undefined;
  const nodeCount = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < nodeCount; i++) {
    let labels: object = { pool: pick(['a', 'b']), 'kubernetes.io/hostname': `n${i}` };
    if (shareAcross && sharedLabels && rand() < 0.5) labels = sharedLabels;
    sharedLabels ??= labels;
    const status: Record<string, unknown> = {
      addresses: [{ type: 'ExternalIP', address: ip() }, { type: 'InternalIP', address: `10.0.0.${i + 1}` }],
      conditions: [{ type: 'Ready', status: rand() < 0.8 ? 'True' : 'False' }],
      images: Array.from({ length: Math.floor(rand() * 3) }, (_, k) => ({ names: [`gcr.io/img${k}@sha256:abc`, `gcr.io/img${k}:v1`], sizeBytes: 1000 + k })),
      capacity: { cpu: '4', memory: '16Gi' },
      nodeInfo: { kubeletVersion: 'v1.30.1' },
    };
    if (rand() < 0.5) status.message = tricky(rand);
    if (shareWithin) status.labelsSeen = labels;
    const metadata: Record<string, unknown> = { name: `n${i}`, labels };
    if (rand() < 0.4) metadata.annotations = { note: tricky(rand) };
    const node: Record<string, unknown> = { apiVersion: 'v1', kind: 'Node', metadata };
    if (rand() < 0.7) node.spec = { podCIDR: `10.4.${i}.0/24`, providerID: `gce://p/z/n${i}`, ...(rand() < 0.3 ? { note: tricky(rand) } : {}) };
    node.status = Object.fromEntries(shuffled(rand, Object.entries(status)));
    items.push(node);
  }
  const cmCount = Math.floor(rand() * 3);
  let sharedData: object | undefined;
  for (let i = 0; i < cmCount; i++) {
    let data: object = { script: tricky(rand), other: tricky(rand), count: '3' };
    if (shareAcross && sharedData && rand() < 0.5) data = sharedData;
    sharedData ??= data;
    items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${i}` }, data });
  }
  const list: Record<string, unknown> = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList' };
  // A functionConfig before the items, sharing an object with them: its anchor is not written back.
  if (rand() < 0.4) list.functionConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fc', labels: shareAcross ? sharedLabels : { a: 'b' } } };
  list.items = shuffled(rand, items);
  return list;
}

const styleArb: fc.Arbitrary<YamlStyle> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  seqIndent: fc.boolean(),
  flow: fc.constantFrom(0, 0.3, 1),
  comments: fc.constantFrom(0, 0.2),
  quoted: fc.constantFrom(0, 0.5),
  folded: fc.constantFrom(0, 0.5, 1),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  markers: fc.boolean(),
  anchors: fc.boolean(),
});

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

test('KRM reader: any YAML style gives output that parses and equals the full parse\'s meaning', () => {
  let valid = 0;
  let runs = 0;
  fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), fc.boolean(), styleArb, (seed, within, across, style) => {
    runs++;
    const text = writeYaml(resourceList(seed, within, across), style);
    let full: unknown;
    try {
      full = yaml.load(text.replace(/^\uFEFF/, ''), { schema: SCHEMA });
    } catch {
      return; // the writer made something YAML does not accept (counted below)
    }
    valid++;
    const expected = processResourceList(full);
    const run = runKrm(text);
    const out = krmOutputText(run);
    let reread: unknown;
    try {
      reread = yaml.load(out, { schema: SCHEMA });
    } catch (e) {
      assert.fail(`the output is not YAML: ${(e as Error).message}\n--- input\n${text}\n--- output\n${out}`);
    }
    assert.equal(run.ok, expected.ok, `${run.summary.join('\n')}\n--- input\n${text}`);
    assert.deepEqual(asJson(reread), asJson(expected.output), `--- input\n${text}\n--- output\n${out}`);
  }), { seed: 20261127, numRuns: 400 });
  assert.ok(valid > runs * 0.8, `only ${valid} of ${runs} written ResourceLists were valid YAML`);
});
