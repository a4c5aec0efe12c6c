// End to end through the real kustomize: `kubectl kustomize --enable-alpha-plugins` runs the function as
// a container transformer. No Docker engine runs here, so a `docker` shim on PATH runs the bundle as the
// image would (`node /fn.js` alone in an empty directory, with no inherited environment). A package whose
// function is an `exec:` one is built with the standalone kustomize (`--enable-exec`), which
// `kubectl kustomize` does not have.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN_DIR, FN_BUNDLE, REPO, copyTree, expectedPath, requireTool, run, scenarios, tempDir, UPDATE_EXPECTED } from './tools';

const kubectl = requireTool('kubectl');

function shimEnv(): NodeJS.ProcessEnv {
  const bin = tempDir('docker-shim');
  fs.symlinkSync(path.join(REPO, 'test/e2e/docker-shim.sh'), path.join(bin, 'docker'));
  return { ...process.env, PATH: `${bin}:${process.env.PATH}`, FN_BUNDLE, FN_NODE: process.execPath };
}

/** An exec function needs the standalone kustomize: `kubectl kustomize` cannot run exec functions. */
function usesExec(dir: string): boolean {
  return /^\s+exec:\s*$/m.test(fs.readFileSync(path.join(dir, 'securitypolicy.yaml'), 'utf8'));
}

function build(dir: string): ReturnType<typeof run> {
  if (!usesExec(dir)) return run(kubectl, ['kustomize', '--enable-alpha-plugins', dir], { env: shimEnv() });
  const kustomize = requireTool('kustomize');
  const env = { ...process.env, PATH: `${BIN_DIR}:${process.env.PATH}` };
  return run(kustomize, ['build', '--enable-alpha-plugins', '--enable-exec', dir], { env });
}

for (const dir of scenarios('kustomize')) {
  const name = path.basename(dir);
  const how = usesExec(dir) ? 'kustomize build --enable-alpha-plugins --enable-exec' : 'kubectl kustomize --enable-alpha-plugins';
  test(`${how}: ${name}`, () => {
    const r = build(dir);
    assert.equal(r.status, 0, `kustomize failed:\n${r.stderr}`);
    const expectedFile = `${expectedPath('kustomize', name)}.yaml`;
    if (UPDATE_EXPECTED) {
      fs.mkdirSync(path.dirname(expectedFile), { recursive: true });
      fs.writeFileSync(expectedFile, r.stdout);
    }
    assert.equal(r.stdout, fs.readFileSync(expectedFile, 'utf8'));
    // The Node snapshot is local-config: an input, never part of what gets applied.
    assert.doesNotMatch(r.stdout, /kind: Node\n/);
  });
}

test('kustomize: the exec package builds exactly what the container package builds', () => {
  const byName = new Map(scenarios('kustomize').map((d) => [path.basename(d), d]));
  const container = build(byName.get('web-allowlist')!);
  const exec = build(byName.get('web-allowlist-exec')!);
  assert.equal(container.status, 0, container.stderr);
  assert.equal(exec.status, 0, exec.stderr);
  assert.equal(exec.stdout, container.stdout);
});

test('kustomize: a bad SecurityPolicy fails the build with the field path, not a stack trace', () => {
  const src = scenarios('kustomize').find((p) => path.basename(p) === 'web-allowlist')!;
  const dir = path.join(tempDir('kustomize-bad'), 'web-allowlist');
  copyTree(src, dir);
  const spFile = path.join(dir, 'securitypolicy.yaml');
  const bad = fs.readFileSync(spFile, 'utf8').replace('defaultAction: deny(403)', 'defaultAction: reject');
  assert.notEqual(bad, fs.readFileSync(spFile, 'utf8'));
  fs.writeFileSync(spFile, bad);
  const r = run(kubectl, ['kustomize', '--enable-alpha-plugins', dir], { env: shimEnv() });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /spec\.defaultAction/);
  assert.match(r.stderr, /"reject"/);
  assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*\.js:\d+:\d+\)/, 'no stack trace');
  assert.equal(r.stdout, '');
});
