// "Billion laughs": a few hundred bytes of nested YAML aliases stand for billions of values. The
// function must answer (no abort, no hang) with an error when it would read such an object, and pass
// an object it does not read through without expanding it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { krmOutputText, runKrm } from '../../fn/krm/main';
import { parseDocument, parseDocuments } from '../../fn/krm/yaml';
import { FN_BUNDLE, REPO, tempDir } from '../e2e/tools';

/** Ten levels of ten aliases each: 10^10 values, as a mapping at `indent`. */
function bomb(indent: string): string {
  let out = `${indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i <= 10; i++) out += `${indent}l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
  return out;
}

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const SP = '- apiVersion: security.example.org/v1alpha1\n  kind: SecurityPolicy\n  metadata: {name: web}\n  spec:\n    sources: [{name: office, cidrs: [203.0.113.0/24]}]\n';
const CONFIGMAP_BOMB = `- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: laughs}\n  data:\n${bomb('    ')}`;
const SP_BOMB = `- apiVersion: security.example.org/v1alpha1\n  kind: SecurityPolicy\n  metadata:\n    name: web\n    labels:\n${bomb('      ')}  spec:\n    sources: [{name: office, cidrs: [203.0.113.0/24]}]\n`;

const runBundle = (input: string) => spawnSync(process.execPath, [FN_BUNDLE], { input, encoding: 'utf8', timeout: 120_000 });

test('alias bomb under the policy\'s metadata: an error naming the item, the items written back', () => {
  const input = `${HEAD}items:\n${SP_BOMB}`;
  assert.ok(input.length < 1000);
  const r = runBundle(input);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^error: items\[0\] \(SecurityPolicy web\): its YAML aliases stand for more than 1,000,000 values/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.ok(r.stdout.includes(SP_BOMB), 'the item is written back as it came');
  assert.equal((parseDocument(r.stdout) as { kind: string }).kind, 'ResourceList');
});

test('alias bomb in the functionConfig or in a Node: an error, not an abort', () => {
  const node = `- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n1\n    annotations:\n${bomb('      ')}  status:\n    addresses: [{type: ExternalIP, address: 35.1.2.3}]\n`;
  for (const input of [
    `${HEAD}items:\n${node}functionConfig:\n  apiVersion: security.example.org/v1alpha1\n  kind: SecurityPolicy\n  metadata: {name: web}\n  spec: {nodes: [{name: egress}]}\n`,
    `${HEAD}items: []\nfunctionConfig:\n  apiVersion: security.example.org/v1alpha1\n  kind: SecurityPolicy\n  metadata:\n    name: web\n    labels:\n${bomb('      ')}  spec: {sources: [{name: office, cidrs: [203.0.113.0/24]}]}\n`,
  ]) {
    const out = runKrm(input);
    assert.equal(out.ok, false);
    assert.match(out.summary.join('\n'), /YAML aliases stand for more than 1,000,000 values/);
    // The answer is written without expanding anything.
    assert.ok(krmOutputText(out).length < 10_000);
  }
});

test('alias bomb in a ConfigMap the function does not read: passed through verbatim, not expanded', () => {
  const input = `${HEAD}items:\n${CONFIGMAP_BOMB}${SP}`;
  const out = runKrm(input);
  assert.equal(out.ok, true, out.summary.join('\n'));
  const text = krmOutputText(out);
  assert.ok(text.includes(CONFIGMAP_BOMB));
  assert.ok(text.length < 10_000);
});

test('alias bomb in a ConfigMap under render --passthrough: the run completes, the ConfigMap keeps its aliases', () => {
  const dir = tempDir('bomb-cli');
  fs.writeFileSync(path.join(dir, 'cm.yaml'), CONFIGMAP_BOMB.replace(/^- /, '').replace(/^ {2}/gm, ''));
  fs.writeFileSync(path.join(dir, 'sp.yaml'), SP.replace(/^- /, '').replace(/^ {2}/gm, ''));
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'render', '--passthrough', dir], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.length < 10_000);
  const docs = parseDocuments(r.stdout) as Array<{ kind: string }>;
  assert.ok(docs.some((d) => d.kind === 'ConfigMap'));
  assert.ok(docs.some((d) => d.kind === 'ComputeSecurityPolicy'));
});

test('alias bomb in a SecurityPolicy file for the CLI: one-line error naming the file', () => {
  const dir = tempDir('bomb-cli-sp');
  fs.writeFileSync(path.join(dir, 'sp.yaml'), SP_BOMB.replace(/^- /, '').replace(/^ {2}/gm, ''));
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'render', dir], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /sp\.yaml: stands for more than 1,000,000 values once its YAML aliases are expanded/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
