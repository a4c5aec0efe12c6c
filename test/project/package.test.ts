// The npm package is what `npm i -g` installs: the CLI bundle, README and LICENSE, with exactly the
// dependencies the bundle loads at run time. The build (npm test runs it first) must exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './files';

interface PackageJson {
  name: string; version: string; license?: string; private?: boolean;
  bin?: Record<string, string>; files?: string[]; dependencies?: Record<string, string>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
const CLI = path.join(REPO_ROOT, 'dist/cli.js');

test('LICENSE holds the full Apache License 2.0 that package.json declares', () => {
  assert.equal(pkg.license, 'Apache-2.0');
  const text = fs.readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8');
  assert.match(text, /^\s*Apache License\s+Version 2\.0, January 2004/);
  for (let section = 1; section <= 9; section++) assert.match(text, new RegExp(`^\\s*${section}\\. [A-Z]`, 'm'), `section ${section}`);
  assert.match(text, /END OF TERMS AND CONDITIONS/);
});

test('the package is publishable and installs the security-policy command', () => {
  assert.notEqual(pkg.private, true);
  assert.deepEqual(pkg.bin, { 'security-policy': 'dist/cli.js' });
  assert.deepEqual([...(pkg.files ?? [])].sort(), ['LICENSE', 'README.md', 'dist/cli.js']);
});

test('npm pack ships the CLI bundle, README, LICENSE and package.json, nothing else', () => {
  assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run npm run build');
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'dist/cli.js', 'package.json']);
});

test('dependencies are exactly the packages the CLI bundle requires at run time', () => {
  const bundle = fs.readFileSync(CLI, 'utf8');
  const required = [...new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))]
    .filter((m) => !m.startsWith('node:') && !m.startsWith('.'))
    .map((m) => (m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0]!))
    .sort();
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), [...new Set(required)]);
});

test('the packed CLI answers --help on its own, without node_modules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-alone-'));
  try {
    fs.copyFileSync(CLI, path.join(dir, 'cli.js'));
    const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), '--help'], { cwd: dir, encoding: 'utf8', env: {} });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /security-policy/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CHANGELOG.md keeps an Unreleased section in Keep a Changelog form', () => {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
  assert.match(text, /^# Changelog$/m);
  assert.match(text, /^## \[Unreleased\]$/m);
  for (const heading of text.match(/^### .*$/gm) ?? []) {
    assert.match(heading, /^### (Added|Changed|Deprecated|Removed|Fixed|Security)$/, heading);
  }
});
