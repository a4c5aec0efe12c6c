// Reading input text, the same way for the KRM function (stdin) and the CLI (files): prototype keys stay
// ordinary own keys, bytes must be UTF-8, JSON refuses duplicate keys like YAML, and items that are odd
// (not objects, nested too deep) come back unchanged with the error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { krmOutputText, runKrm } from '../../fn/krm/main';
import { parseDocument, plain } from '../../fn/krm/yaml';
import { readInputs } from '../../fn/cli/io';
import { FN_BUNDLE, REPO, tempDir } from '../e2e/tools';

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const SP_BROAD_PROTO = `- apiVersion: security.example.org/v1alpha1
  kind: SecurityPolicy
  metadata: {name: web}
  spec:
    __proto__: {allowBroadRanges: true, sources: [{name: partner, cidrs: ["0.0.0.0/0"]}]}
    sources: [{name: office, cidrs: ["0.0.0.0/0"]}]
`;

const hasOwn = (o: unknown, k: string) => Object.prototype.hasOwnProperty.call(o, k);

test('reading: __proto__, constructor and prototype are own keys after every copy, never a prototype', () => {
  for (const text of [
    '{"spec": {"__proto__": {"allowBroadRanges": true}, "constructor": {"a": 1}, "prototype": 2}}',
    'spec:\n  __proto__: {allowBroadRanges: true}\n  constructor: {a: 1}\n  prototype: 2\n',
  ]) {
    const copy = plain(parseDocument(text)) as { spec: Record<string, unknown> };
    for (const k of ['__proto__', 'constructor', 'prototype']) assert.ok(hasOwn(copy.spec, k), `${k} is an own key`);
    assert.equal(Object.getPrototypeOf(copy.spec), Object.prototype, 'the prototype is untouched');
    assert.equal((copy.spec as { allowBroadRanges?: unknown }).allowBroadRanges, undefined);
    assert.equal(({} as { allowBroadRanges?: unknown }).allowBroadRanges, undefined, 'Object.prototype is untouched');
  }
});

test('reading: a SecurityPolicy with spec.__proto__ is refused naming the field (KRM, YAML and JSON)', () => {
  const yamlText = `${HEAD}items:\n${SP_BROAD_PROTO}`;
  const jsonText = JSON.stringify(JSON.parse(JSON.stringify(parseDocument(yamlText))));
  assert.match(jsonText, /"__proto__"/);
  for (const input of [yamlText, jsonText]) {
    const out = runKrm(input);
    assert.equal(out.ok, false, krmOutputText(out));
    assert.match(out.summary.join('\n'), /spec\.__proto__/);
    assert.ok(!out.output.items.some((i) => i.kind === 'ComputeSecurityPolicy'));
  }
});

test('reading: a ConfigMap that is not ours keeps __proto__, constructor and prototype keys, unchanged', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: JSON.parse('{"__proto__": "x", "constructor": "y", "prototype": "z"}') };
  const sp = { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' }, spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] } };
  const input = JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [cm, sp] });
  const out = runKrm(input);
  assert.equal(out.ok, true, out.summary.join('\n'));
  const echoed = (parseDocument(krmOutputText(out)) as { items: Array<{ kind: string; data?: object }> }).items[0]!;
  assert.deepEqual(Object.entries(echoed.data!), [['__proto__', 'x'], ['constructor', 'y'], ['prototype', 'z']]);
});

test('reading: the CLI refuses a SecurityPolicy with spec.__proto__, naming the field', () => {
  const dir = tempDir('proto-cli-render');
  fs.writeFileSync(path.join(dir, 'sp.yaml'), SP_BROAD_PROTO.replace(/^- /, '').replace(/^  /gm, ''));
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'render', path.join(dir, 'sp.yaml')], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /spec\.__proto__/);
  assert.doesNotMatch(r.stdout, /0\.0\.0\.0\/0/);
});

test('reading: the CLI reader keeps prototype keys as own keys', () => {
  const dir = tempDir('proto-cli');
  const file = path.join(dir, 'sp.yaml');
  fs.writeFileSync(file, SP_BROAD_PROTO.replace(/^- /, '').replace(/^  /gm, ''));
  const [sp] = readInputs([file]).securityPolicies;
  const spec = (sp!.doc as { spec: object }).spec;
  assert.ok(hasOwn(spec, '__proto__'));
  assert.equal(Object.getPrototypeOf(spec), Object.prototype);
  assert.equal((spec as { allowBroadRanges?: unknown }).allowBroadRanges, undefined);
});

const runBundle = (input: Buffer | string) => spawnSync(process.execPath, [FN_BUNDLE], { input, encoding: 'utf8', maxBuffer: 1 << 28 });

test('reading: bytes that are not UTF-8 are an error naming the byte offset, not U+FFFD (KRM and CLI)', () => {
  const text = `${HEAD}items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {a: "caf\u00e9"}\n`;
  const bytes = Buffer.from(text, 'latin1'); // é as the single byte 0xE9: not UTF-8
  const r = runBundle(bytes);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: input is not valid UTF-8 \(byte \d+\)/);
  assert.doesNotMatch(r.stdout, /\uFFFD/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const dir = tempDir('utf8-cli');
  fs.writeFileSync(path.join(dir, 'cm.yaml'), bytes);
  assert.throws(() => readInputs([path.join(dir, 'cm.yaml')]), /cm\.yaml: not valid UTF-8 \(byte \d+\)/);
});

test('reading: duplicate keys in JSON are an error, as in YAML', () => {
  const sp = '{"apiVersion": "security.example.org/v1alpha1", "kind": "SecurityPolicy", "metadata": {"name": "web"}, '
    + '"spec": {"allowBroadRanges": false, "sources": [{"name": "o", "cidrs": ["0.0.0.0/0"]}], "allowBroadRanges": true}}';
  const out = runKrm(`{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [${sp}]}`);
  assert.equal(out.ok, false);
  assert.match(out.summary.join('\n'), /duplicated mapping key "allowBroadRanges"/);
  assert.throws(() => parseDocument('{"a": 1, "b": {"c": 1, "c": 2}}'), /duplicated mapping key "c"/);
  assert.deepEqual(parseDocument('{"a": "\\"b\\":", "b": {"a": 1}}'), { a: '"b":', b: { a: 1 } }, 'keys inside strings do not count');
});

test('reading: an item that is not an object comes back unchanged with the error', () => {
  const sp = '- apiVersion: security.example.org/v1alpha1\n  kind: SecurityPolicy\n  metadata: {name: web}\n  spec: {sources: [{name: o, cidrs: [203.0.113.0/24]}]}\n';
  for (const odd of ['- 5\n', '- "text"\n', '- [1, 2]\n', '- null\n']) {
    const out = runKrm(`${HEAD}items:\n${sp}${odd}`);
    assert.equal(out.ok, false);
    assert.match(out.summary.join('\n'), /items\[1\] is not an object/);
    const echoed = parseDocument(krmOutputText(out)) as { items: unknown[] };
    assert.deepEqual(echoed.items, (parseDocument(`${HEAD}items:\n${sp}${odd}`) as { items: unknown[] }).items);
  }
});

test('reading: JSON nested 100,000 deep is an error, and the items come back unchanged', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const cm = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deep"}, "data": {"x": ${deep}}}`;
  const input = `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [${cm}, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "flat"}}]}`;
  const r = runBundle(input);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^error: items\[0\] \(ConfigMap deep\): nested deeper than [\d,]+ levels/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  // The deep item is written back as the same JSON (YAML readers with a depth limit cannot read it back).
  assert.ok(r.stdout.includes(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"x":${deep}}}`));
  assert.match(r.stdout, /name: flat/);
});

test('reading: values quoted in reader errors are truncated (KRM and CLI)', () => {
  const long = 'x'.repeat(20_000);
  for (const input of [
    `${HEAD}items:\n- *${long}\n`,
    `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [{"${long}": 1, "${long}": 2}]}`,
    `{"kind": "${long}", "apiVersion": 1}`,
    `${HEAD}items:\n- !<tag:${long}> {}\n`,
  ]) {
    const out = runKrm(input);
    assert.equal(out.ok, false);
    for (const line of out.summary) assert.ok(line.length < 300, `a ${line.length}-character message: ${line.slice(0, 120)}...`);
    assert.match(out.summary.join('\n'), /20,0\d\d characters/);
  }
  const dir = tempDir('long-cli');
  fs.writeFileSync(path.join(dir, 'x.yaml'), `a: *${long}\n`);
  assert.throws(() => readInputs([path.join(dir, 'x.yaml')]), (e: Error) => e.message.length < 300);
});

test('reading: a prototype key among a generated item\'s annotations survives its replacement as an own key', () => {
  const sp = { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web' }, spec: { sources: [{ name: 'o', cidrs: ['203.0.113.0/24'] }] } };
  const first = runKrm(JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [sp] }));
  const items = JSON.parse(JSON.stringify(first.output.items)) as Array<{ kind: string; metadata: { annotations: Record<string, string> } }>;
  const generated = items.find((i) => i.kind === 'ComputeSecurityPolicy')!;
  generated.metadata.annotations = JSON.parse(`{"__proto__": "team-note", "constructor": "x", ${JSON.stringify(generated.metadata.annotations).slice(1)}`);
  (items[0] as unknown as typeof sp).spec.sources[0]!.cidrs = ['198.51.100.0/24'];
  const second = runKrm(JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items }));
  assert.equal(second.ok, true, second.summary.join('\n'));
  const replaced = (parseDocument(krmOutputText(second)) as { items: typeof items }).items.find((i) => i.kind === 'ComputeSecurityPolicy')!;
  assert.match(JSON.stringify(replaced), /198\.51\.100\.0\/24/, 'the policy was replaced');
  assert.ok(hasOwn(replaced.metadata.annotations, '__proto__'));
  assert.equal(replaced.metadata.annotations['__proto__' as string], 'team-note');
  assert.equal(replaced.metadata.annotations.constructor, 'x');
});
