// One place defines the published names (package.json `repository` and `name`, see scripts/names.ts);
// every example, doc and workflow must use exactly those, so a fork renames everything in one step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deriveNames, releaseNames, rename, renameInText, repositoryOf, syncVersionInText } from '../../scripts/names';
import { REPO_ROOT, readText, repoFiles } from './files';

const names = releaseNames();
const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const repoName = names.repository.split('/')[1]!;

function textFiles(): Array<[string, string]> {
  return repoFiles()
    .filter((f) => f !== 'package-lock.json')
    .map((f) => [f, readText(f)] as [string, string | undefined])
    .filter((e): e is [string, string] => e[1] !== undefined);
}

/** Lines (file:line: text) where `re` matches. */
function grep(re: RegExp): string[] {
  const hits: string[] = [];
  for (const [file, text] of textFiles()) {
    text.split('\n').forEach((line, i) => {
      if (re.test(line)) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, 140)}`);
    });
  }
  return hits;
}

test('no file names a placeholder registry or repository', () => {
  // Spelled apart so this file does not trip its own check.
  const placeholders = [['registry', 'example', 'com'], ['xpkg', 'example', 'com'], ['github', 'com/example/'], ['ghcr', 'io/example/']].map((p) => p.join('.'));
  assert.deepEqual(grep(new RegExp(placeholders.map((p) => p.replace(/[.]/g, '\\.')).join('|'))), []);
});

test('every reference to the project\'s image, package or repository is a name package.json defines', () => {
  const allowed = [names.image, names.xpkg, names.cliImage];
  const wrong: string[] = [];
  const ref = new RegExp(`\\b((?:[a-z0-9-]+\\.)+[a-z]{2,}(?::\\d+)?/[A-Za-z0-9._/-]*${repoName}[A-Za-z0-9_-]*)`, 'g');
  for (const [file, text] of textFiles()) {
    text.split('\n').forEach((line, i) => {
      for (const m of line.matchAll(ref)) {
        const found = m[1]!;
        const ok = found.startsWith('github.com/')
          ? found === names.source
          : allowed.includes(found) || /^(?:localhost|127\.0\.0\.1)(?::\d+)?\//.test(found); // a local test registry
        if (!ok) wrong.push(`${file}:${i + 1}: ${found}`);
      }
    });
  }
  assert.deepEqual(wrong, []);
});

test('examples and docs pin the project\'s images and packages at the package.json version', () => {
  const stale: string[] = [];
  const tagged = new RegExp(`(?:${[names.image, names.xpkg, names.cliImage].map((n) => n.replace(/[.]/g, '\\.')).join('|')}):(v[^\\s"'\`,)]+)|${names.npmPackage.replace(/[.]/g, '\\.')}@(\\d[^\\s"'\`,)]*)`, 'g');
  for (const [file, text] of textFiles()) {
    if (file === 'CHANGELOG.md') continue; // names every released version on purpose
    for (const m of text.matchAll(tagged)) {
      const v = m[1] ?? `v${m[2]}`;
      if (v !== `v${version}` && !v.startsWith('v${')) stale.push(`${file}: ${m[0]}`);
    }
  }
  assert.deepEqual(stale, []);
});

test('the Crossplane package names its source repository', () => {
  assert.match(fs.readFileSync(path.join(REPO_ROOT, 'package/crossplane.yaml'), 'utf8'), new RegExp(`meta\\.crossplane\\.io/source: ${names.source.replace(/[.]/g, '\\.')}\\s*$`, 'm'));
});

test('repositoryOf reads the forms package.json allows and refuses others with the value', () => {
  for (const form of ['github:acme/fn', 'acme/fn', 'https://github.com/acme/fn', 'git+https://github.com/acme/fn.git', 'git@github.com:acme/fn.git', { url: 'git+ssh://git@github.com/acme/fn.git' }]) {
    assert.equal(repositoryOf(form), 'acme/fn', JSON.stringify(form));
  }
  assert.throws(() => repositoryOf('https://gitlab.com/acme/fn'), /repository "https:\/\/gitlab\.com\/acme\/fn" is not a GitHub repository/);
  assert.throws(() => repositoryOf(undefined), /repository\.url is missing/);
});

test('deriveNames: GHCR names in lower case, the source as written', () => {
  const n = deriveNames('Acme/Fn', 'fn-cli');
  assert.deepEqual([n.image, n.xpkg, n.cliImage, n.source, n.npmPackage], ['ghcr.io/acme/fn', 'ghcr.io/acme/fn-xpkg', 'ghcr.io/acme/fn-cli', 'github.com/Acme/Fn', 'fn-cli']);
});

test('renameInText and syncVersionInText rewrite only the project\'s names', () => {
  const from = deriveNames('old/fn', 'fn');
  const to = deriveNames('new/fn', '@new/fn');
  const text = 'image: ghcr.io/old/fn:v1.0.0\npackage: ghcr.io/old/fn-xpkg:v1.0.0\nother: ghcr.io/old/fnord:v1\nsee https://github.com/old/fn#readme\nnpm i -g fn@1.0.0\n';
  assert.equal(renameInText(text, from, to), 'image: ghcr.io/new/fn:v1.0.0\npackage: ghcr.io/new/fn-xpkg:v1.0.0\nother: ghcr.io/old/fnord:v1\nsee https://github.com/new/fn#readme\nnpm i -g @new/fn@1.0.0\n');
  assert.equal(renameInText('| npm | `fn@1.0.0` | the CLI; not fnord@1 nor my-fn@1\n', from, to), '| npm | `@new/fn@1.0.0` | the CLI; not fnord@1 nor my-fn@1\n');
  assert.equal(syncVersionInText(text, from, '1.2.3'), text.replace(/v1\.0\.0/g, 'v1.2.3').replace('fn@1.0.0', 'fn@1.2.3'));
});

test('rename: a fork renames package.json and every file in one step', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'names-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fn', version: '1.0.0', repository: { type: 'git', url: 'git+https://github.com/old/fn.git' } }));
    fs.mkdirSync(path.join(dir, 'examples'));
    fs.writeFileSync(path.join(dir, 'examples/a.yaml'), 'image: ghcr.io/old/fn:v1.0.0\n');
    fs.writeFileSync(path.join(dir, 'untouched.md'), 'nothing here\n');
    fs.symlinkSync(path.join(dir, 'examples'), path.join(dir, 'linked')); // a symlinked folder is skipped, not read
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const changed = rename(dir, 'new-org/fn');
    assert.deepEqual(changed.sort(), ['examples/a.yaml', 'package.json']);
    assert.equal(fs.readFileSync(path.join(dir, 'examples/a.yaml'), 'utf8'), 'image: ghcr.io/new-org/fn:v1.0.0\n');
    assert.equal(repositoryOf((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { repository: unknown }).repository), 'new-org/fn');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
