// The README is the front door: short, and every command in it works exactly as written.
//
// Its shell blocks run in order, as a reader going down the page would run them, in a copy of the
// repository (so the repository itself is never modified), each from the copy's root. What stands in for
// what cannot exist here:
// - `docker`: no container engine runs here; test/e2e/docker-shim.sh runs the function bundle as the
//   image's entrypoint would (kpt and kustomize call it for `image:`/`container:` functions);
// - `security-policy`: stands for the CLI that `npm i -g` installs from the registry; it runs the
//   copy's dist/cli.js, which is what that package's `bin` points at;
// - the first block (`npm ci && npm run example`, `npm test`): `npm ci` already ran for this checkout
//   (the copy links its node_modules) and `npm test` is the suite running this file, so only
//   `npm run example` runs, exactly as written.
// Blocks that need a cluster, a cloud project or a registry carry `<!-- not run: reason -->`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { codeBlocks, commands, SHELL_LANGS, type CodeBlock } from './readme-blocks';
import { REPO, requireTool, run, tempDir } from './tools';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const blocks = codeBlocks(README);
const MAX_LINES = 250;

test(`README.md: at most ${MAX_LINES} lines`, () => {
  const lines = README.replace(/\n$/, '').split('\n').length;
  assert.ok(lines <= MAX_LINES, `README.md has ${lines} lines; move detail to docs/`);
});

test('README.md: the first commands are `npm ci && npm run example` and `npm test`, right under the title', () => {
  const first = blocks[0]!;
  assert.ok(SHELL_LANGS.has(first.lang), 'the first block is a shell block');
  assert.equal(first.marker, undefined);
  assert.deepEqual(commands(first), ['npm ci && npm run example', 'npm test']);
  const before = README.split('\n').slice(0, first.line - 1).filter((l) => l.trim() !== '');
  assert.deepEqual(before.length, 1, 'only the title comes before the first block');
  assert.match(before[0]!, /^# /);
});

test('README.md: every code block is run, written, compared, or says why it is not run', () => {
  const problems: string[] = [];
  for (const b of blocks) {
    if (!b.marker) {
      if (!SHELL_LANGS.has(b.lang)) problems.push(`line ${b.line}: a ${b.lang || 'plain'} block needs a marker (file:, same as: or not run:)`);
      continue;
    }
    if (b.marker.kind === 'not run' && b.marker.arg.length < 10) problems.push(`line ${b.line}: "not run" needs a reason`);
    if (b.marker.kind !== 'not run' && !b.marker.arg) problems.push(`line ${b.line}: "${b.marker.kind}" needs a path`);
    if (b.marker.kind === 'same as') {
      const file = path.join(REPO, b.marker.arg);
      if (!fs.existsSync(file)) problems.push(`line ${b.line}: same as ${b.marker.arg}: no such file`);
      else if (fs.readFileSync(file, 'utf8') !== b.body) problems.push(`line ${b.line}: differs from ${b.marker.arg}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('README.md: links stay inside the repository', () => {
  assert.doesNotMatch(README, /\]\(\.\.\//, 'no link out of the repository (../)');
});

/** A copy of the repository's files (what git tracks or would track), with this checkout's node_modules linked in. */
function copyRepository(): string {
  const dest = path.join(tempDir('readme'), 'function-security-policy');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(listed.status, 0, `git ls-files: ${listed.stderr}`);
  for (const rel of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(REPO, rel);
    if (!fs.existsSync(from)) continue; // deleted in the work tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, rel));
    fs.chmodSync(path.join(dest, rel), fs.statSync(from).mode);
  }
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dest, 'node_modules'));
  return dest;
}

/** The stand-ins, first on PATH: `docker` (the shim) and `security-policy` (the installed CLI). */
function standIns(copy: string): string {
  const bin = tempDir('readme-bin');
  fs.symlinkSync(path.join(REPO, 'test/e2e/docker-shim.sh'), path.join(bin, 'docker'));
  fs.writeFileSync(path.join(bin, 'security-policy'), `#!/bin/sh\nexec "${process.execPath}" "${copy}/dist/cli.js" "$@"\n`, { mode: 0o755 });
  return bin;
}

test('README.md: the shell blocks run as written, in order, in a copy of the repository', () => {
  for (const tool of ['kpt', 'kubectl', 'kustomize', 'npm']) requireTool(tool);
  const copy = copyRepository();
  const env = {
    ...process.env,
    PATH: `${standIns(copy)}:${path.dirname(process.execPath)}:${process.env.PATH}`,
    FN_BUNDLE: path.join(copy, 'dist/fn.js'),
    FN_NODE: process.execPath,
  };
  const ran: string[] = [];
  const runBlock = (b: CodeBlock, script: string) => {
    const r = run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: copy, env });
    assert.equal(r.status, 0, `README.md line ${b.line} failed (exit ${r.status}):\n${script}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`);
    ran.push(`line ${b.line}`);
    return r;
  };

  const [first, ...rest] = blocks;
  const example = runBlock(first!, 'npm run example');
  assert.match(example.stdout, /kind: ComputeSecurityPolicy/);

  for (const b of rest) {
    if (b.marker?.kind === 'not run' || b.marker?.kind === 'same as') continue;
    if (b.marker?.kind === 'file') {
      const target = path.join(copy, b.marker.arg);
      assert.ok(target.startsWith(copy + path.sep), `line ${b.line}: ${b.marker.arg} is outside the repository`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, b.body);
      continue;
    }
    runBlock(b, b.body);
  }
  assert.ok(ran.length >= 4, `only ${ran.length} blocks ran: ${ran.join(', ')}`);
});

/** The row of the README's "Tested against" table for `name`. */
function testedAgainst(name: string): string {
  const row = README.split('\n').find((l) => l.startsWith(`| ${name} |`));
  assert.ok(row, `no "${name}" row in the README's versions table`);
  return row;
}

function versionOf(tool: string, args: string[], pattern: RegExp): string {
  const r = run(requireTool(tool), args);
  const m = pattern.exec(r.stdout + r.stderr);
  assert.ok(m, `cannot read the version from \`${tool} ${args.join(' ')}\`: ${(r.stdout + r.stderr).slice(0, 200)}`);
  return m[1]!;
}

test('README.md: the versions table names the kpt, kubectl, kustomize and BusyBox the tests run', () => {
  assert.ok(testedAgainst('kpt').includes(`\`${versionOf('kpt', ['version'], /(\d+\.\d+\.\d+\S*)/)}\``), 'kpt');
  const kubectl = versionOf('kubectl', ['version', '--client'], /Client Version: (v\d+\.\d+\.\d+)/);
  const embedded = versionOf('kubectl', ['version', '--client'], /Kustomize Version: (v\d+\.\d+\.\d+)/);
  const standalone = versionOf('kustomize', ['version'], /(v\d+\.\d+\.\d+)/);
  for (const v of [kubectl, embedded, standalone]) assert.ok(testedAgainst('kustomize').includes(`\`${v}\``), `kustomize row: ${v}`);
  const busybox = versionOf('busybox', [], /BusyBox v(\d+\.\d+)/);
  assert.ok(testedAgainst('Argo CD plugin').includes(`\`${busybox}\``), `BusyBox ${busybox}`);
});
