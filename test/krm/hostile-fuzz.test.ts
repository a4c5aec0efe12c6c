// The hostile-input fuzzer (issue 8, "Done when"): random ResourceLists and CLI inputs in random YAML
// styles, with prototype keys, aliases (and bombs), odd scalars, items that are not objects, other
// projects' SecurityPolicy kinds and Nodes of other groups. Checked against an oracle written from the
// contract (test/helpers/hostile-inputs.ts), not from the product's code:
// - exit 0 or 1 only, within a time and memory bound (the real bundles, for a sample of inputs);
// - exit 1: error results, and every item back unchanged;
// - exit 0: the output parses, unchanged items equal the input, and each policy allows exactly the
//   addresses its valid sources and selected core v1 Nodes ask for.
// Fixed seeds, a bounded number of runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { CliError, readInputs } from '../../fn/cli/io';
import { inputContext, renderAll } from '../../fn/cli/render';
import { krmOutputText, runKrm } from '../../fn/krm/main';
import { cidrInterval, normalize, type Interval } from '../helpers/address-sets';
import { exitFor, scenario, type Scenario } from '../helpers/hostile-inputs';
import { RawScalar, writeYaml, type YamlStyle } from '../helpers/yaml-styles';
import { FN_BUNDLE, REPO, tempDir } from '../e2e/tools';

const CLI_BUNDLE = path.join(REPO, 'dist/cli.js');
/** Per input, for the real bundles: a run past these is a failure (exit null, or a V8 abort). */
const TIME_BOUND_MS = 30_000;
const HEAP_BOUND_MB = 256;

const styleArb: fc.Arbitrary<YamlStyle & { json: boolean }> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  seqIndent: fc.boolean(),
  flow: fc.constantFrom(0, 0.5),
  comments: fc.constantFrom(0, 0.2),
  quoted: fc.constantFrom(0, 0.5),
  folded: fc.constantFrom(0, 0.5),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  markers: fc.boolean(),
  anchors: fc.boolean(),
  json: fc.boolean(),
});
const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/** The input text: YAML in the given style, or JSON (odd scalars as strings). Bombs need aliases. */
function inputText(sc: Scenario, style: YamlStyle & { json: boolean }): string {
  const hasBomb = sc.bombs.size > 0 || sc.functionConfigBomb;
  if (style.json && !hasBomb) return JSON.stringify(sc.list, (_k, v: unknown) => (v instanceof RawScalar ? v.text : v));
  return writeYaml(sc.list, hasBomb ? { ...style, anchors: true } : style);
}

/** A plain reference reading (js-yaml's YAML 1.2 core schema), as plain JSON data. */
const reference = (text: string): unknown => yaml.load(text.replace(/^\uFEFF/, ''), { schema: yaml.CORE_SCHEMA });
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

interface Rule { action?: string; match?: { config?: { srcIpRanges?: string[] } } }
type Obj = { kind?: string; metadata?: { name?: string }; spec?: { rule?: Rule[] } };

function allowedBy(policy: Obj): string[] {
  const intervals: Interval[] = [];
  for (const r of policy.spec?.rule ?? []) {
    if (r.action !== 'allow') continue;
    for (const range of r.match?.config?.srcIpRanges ?? []) {
      const i = cidrInterval(range);
      assert.ok(i, `the policy allows ${JSON.stringify(range)}, which is not a CIDR`);
      intervals.push(i);
    }
  }
  return normalize(intervals);
}

/** What every run must satisfy, given its exit code and the objects it wrote. */
function checkOutcome(sc: Scenario, exit: number | null, objects: Obj[], where: string, expectExit = sc.expectExit): void {
  const context = `${where}; oracle: ${sc.why.join('; ') || 'valid'}`;
  assert.ok(exit === 0 || exit === 1, `exit ${exit} (${context})`);
  assert.equal(exit, expectExit, context);
  if (exit !== 0) return;
  const generated = objects.filter((o) => o.kind === 'ComputeSecurityPolicy' && sc.policies.some((p) => p.policyName === o.metadata?.name));
  assert.equal(generated.length, sc.policies.length, `one policy per SecurityPolicy of ours (${context})`);
  for (const p of sc.policies) {
    const policy = generated.find((o) => o.metadata?.name === p.policyName)!;
    assert.deepEqual(allowedBy(policy), p.allowed, `${p.policyName} allows exactly what its sources and selected Nodes ask for (${context})`);
  }
}

/** Items of the answer against the input's: all of them on exit 1, all but the generated on exit 0. */
function checkItemsUnchanged(sc: Scenario, inputItems: unknown[], outputItems: unknown[], exit: number, where: string): void {
  const isGenerated = (o: unknown) => exit === 0 && (o as Obj | null)?.kind === 'ComputeSecurityPolicy' && sc.policies.some((p) => p.policyName === (o as Obj).metadata?.name);
  const kept = outputItems.filter((o) => !isGenerated(o));
  assert.equal(kept.length, inputItems.length, `${where}: every item comes back`);
  inputItems.forEach((item, i) => {
    if (sc.bombs.has(i)) return; // compared by the run having completed: never expanded, here either
    assert.deepEqual(asJson(kept[i]), asJson(item), `${where}: items[${i}] unchanged`);
  });
}

function checkKrm(sc: Scenario, text: string, exit: number | null, out: string, where: string): void {
  assert.ok(exit === 0 || exit === 1, `${where}: exit ${exit}`);
  const input = reference(text) as { items: unknown[] };
  const answer = reference(out) as { kind: string; items: unknown[]; results?: Array<{ severity: string }> };
  assert.equal(answer.kind, 'ResourceList');
  if (exit === 1) assert.ok(answer.results?.some((r) => r.severity === 'error'), `${where}: exit 1 comes with an error result`);
  checkItemsUnchanged(sc, input.items, answer.items, exit, where);
  checkOutcome(sc, exit, answer.items as Obj[], where);
}

test('hostile fuzz: the KRM function, in process', () => {
  const exits = [0, 0];
  fc.assert(fc.property(seedArb, styleArb, (seed, style) => {
    const sc = scenario(seed);
    const text = inputText(sc, style);
    const run = runKrm(text);
    checkKrm(sc, text, run.ok ? 0 : 1, krmOutputText(run), `KRM seed ${seed}`);
    exits[run.ok ? 0 : 1]!++;
  }), { seed: 424242, numRuns: 300 });
  // Both outcomes are exercised, or the properties above would be checked on nothing.
  assert.ok(exits[0]! > 60 && exits[1]! > 60, `exit 0: ${exits[0]}, exit 1: ${exits[1]}`);
});

test('hostile fuzz: the KRM bundle (node dist/fn.js), bounded in time and memory', () => {
  fc.assert(fc.property(seedArb, styleArb, (seed, style) => {
    const sc = scenario(seed);
    const text = inputText(sc, style);
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_BOUND_MB}`, FN_BUNDLE], { input: text, encoding: 'utf8', timeout: TIME_BOUND_MS, maxBuffer: 1 << 26 });
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    checkKrm(sc, text, r.status, r.stdout, `KRM bundle seed ${seed}`);
  }), { seed: 515151, numRuns: 12 });
});

/** The CLI reads files of documents: a null document is an empty one, not an odd object. */
const cliExit = (sc: Scenario) => exitFor(sc.reasons.filter((r) => r.kind !== 'null item'));

/** The scenario's objects as CLI files: one document each, in one or two files (multi-document). */
function writeCliFiles(sc: Scenario, style: YamlStyle & { json: boolean }, dir: string): void {
  const docs = [...sc.list.items, ...(sc.list.functionConfig ? [sc.list.functionConfig] : [])];
  const hasBomb = sc.bombs.size > 0 || sc.functionConfigBomb;
  const texts = docs.map((d) => {
    if (d === null || typeof d !== 'object' || Array.isArray(d) || d instanceof RawScalar) return `${d instanceof RawScalar ? d.text : JSON.stringify(d)}\n`;
    return writeYaml(d, hasBomb ? { ...style, anchors: true, markers: false, bom: false } : { ...style, markers: false, bom: false });
  });
  const half = Math.ceil(texts.length / 2);
  fs.writeFileSync(path.join(dir, 'a.yaml'), texts.slice(0, half).join('---\n'));
  fs.writeFileSync(path.join(dir, 'b.yaml'), texts.slice(half).join('---\n'));
}

test('hostile fuzz: the CLI reader and render, in process', () => {
  fc.assert(fc.property(seedArb, styleArb, (seed, style) => {
    const sc = scenario(seed);
    const dir = tempDir('hostile-cli');
    try {
      writeCliFiles(sc, style, dir);
      let exit = 0;
      let objects: Obj[] = [];
      try {
        const inputs = readInputs([dir]);
        objects = renderAll(inputs.securityPolicies, inputs.nodes, () => undefined, {}, inputContext(inputs, {})).flatMap((r) => r.objects) as Obj[];
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        assert.ok(!e.message.includes('\n    at '), 'no stack trace');
        exit = 1;
      }
      checkOutcome(sc, exit, objects, `CLI seed ${seed}`, cliExit(sc));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }), { seed: 626262, numRuns: 300 });
});

test('hostile fuzz: the CLI bundle (render --passthrough), bounded in time and memory', () => {
  fc.assert(fc.property(seedArb, styleArb, (seed, style) => {
    const sc = scenario(seed);
    const dir = tempDir('hostile-cli-bundle');
    try {
      writeCliFiles(sc, style, dir);
      const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_BOUND_MB}`, CLI_BUNDLE, 'render', '--passthrough', dir], { encoding: 'utf8', timeout: TIME_BOUND_MS, maxBuffer: 1 << 26 });
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      const objects = r.status === 0 ? (yaml.loadAll(r.stdout, undefined, { schema: yaml.CORE_SCHEMA }) as Obj[]) : [];
      checkOutcome(sc, r.status, objects, `CLI bundle seed ${seed}`, cliExit(sc));
      if (r.status === 1) assert.match(r.stderr, /^error: /m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }), { seed: 737373, numRuns: 10 });
});
