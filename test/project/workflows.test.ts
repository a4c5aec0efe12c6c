// The GitHub workflows are checked by a real validator (@action-validator/cli, the JSON schemas of
// GitHub Actions), and for what a release needs: pinned actions, the tag trigger, a package root
// without examples, npm provenance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, repoFiles } from './files';

const VALIDATOR = path.join(REPO_ROOT, 'node_modules/.bin/action-validator');

function validate(file: string): { status: number | null; output: string } {
  const r = spawnSync(VALIDATOR, [file], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.slice(0, 2000) };
}

const workflows = repoFiles().filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f));
const read = (f: string) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');

test('the repository has a CI and a release workflow', () => {
  assert.ok(workflows.includes('.github/workflows/ci.yml'), 'ci.yml is missing');
  assert.ok(workflows.includes('.github/workflows/release.yml'), 'release.yml is missing');
});

test('every workflow, and the example workflow for users, passes action-validator', () => {
  for (const file of [...workflows, ...repoFiles().filter((f) => f.startsWith('examples/ci/') && /\.ya?ml$/.test(f))]) {
    const r = validate(file);
    assert.equal(r.status, 0, `${file}:\n${r.output}`);
  }
});

test('action-validator rejects a broken workflow (the check is real)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-'));
  try {
    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(bad, 'name: bad\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n        wiht: {fetch-depth: 0}\n');
    assert.notEqual(validate(bad).status, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every action a workflow uses is pinned to a full commit, its release in a comment', () => {
  const loose: string[] = [];
  for (const file of workflows) {
    read(file).split('\n').forEach((line, i) => {
      const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
      if (!m || m[1]!.startsWith('./')) return;
      if (!/@[0-9a-f]{40}$/.test(m[1]!) || !/#\s*v\d+(\.\d+)*\s*$/.test(m[2]!)) loose.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(loose, []);
});

test('CI runs on pull requests and builds, typechecks and tests on Node 24', () => {
  const ci = read('.github/workflows/ci.yml');
  assert.match(ci, /^\s*pull_request:/m);
  assert.match(ci, /NODE_VERSION: '24'/);
  for (const step of ['npm ci', 'npm run build', 'npm run typecheck', 'npm test']) assert.ok(ci.includes(`run: ${step}`), step);
  for (const tool of ['kpt', 'kubectl', 'kustomize', 'busybox']) assert.ok(ci.includes(tool), tool);
});

test('the release runs on v* tags and publishes image, package and CLI the way the docs say', () => {
  const release = read('.github/workflows/release.yml');
  assert.match(release, /tags:\s*\['v\*'\]/);
  assert.match(release, /platforms: linux\/amd64,linux\/arm64/);
  assert.match(release, /xpkg build --package-root=package --embed-runtime-image-tarball=runtime-\$\{\{ matrix\.arch \}\}\.tar/);
  assert.match(release, /arch: \[amd64, arm64\]/);
  assert.match(release, /xpkg push --package-files/);
  assert.match(release, /npm publish --provenance/);
  assert.match(release, /id-token: write/);
  assert.match(release, /names -- --check "\$GITHUB_REPOSITORY"/);
  // Nothing is published from a commit the CI workflow has not passed.
  assert.match(release, /^  test:\n    uses: \.\/\.github\/workflows\/ci\.yml$/m);
  assert.match(release, /^  verify:\n    needs: test$/m);
  assert.match(read('.github/workflows/ci.yml'), /^  workflow_call:/m);
});

test('the package root holds only the package metadata and CRDs, never examples', () => {
  const inPackage = repoFiles().filter((f) => f.startsWith('package/'));
  assert.ok(inPackage.includes('package/crossplane.yaml'));
  const other = inPackage.filter((f) => f !== 'package/crossplane.yaml' && !(/\.ya?ml$/.test(f) && /^kind:\s*CustomResourceDefinition\s*$/m.test(read(f))));
  assert.deepEqual(other, []);
});
