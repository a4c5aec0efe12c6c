// The image: multi-stage, an esbuild bundle on distroless Node.js, non-root, port 9443, base images
// pinned by digest. And its build context: the files .dockerignore lets through must be enough to
// build, and must build the very bundle the tests run (so the image ships what was tested).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, repoFiles } from './files';

const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const stages = dockerfile.split(/^(?=FROM\s)/m).filter((s) => s.startsWith('FROM'));
const runtime = stages[stages.length - 1]!;

test('the image is multi-stage and its runtime stage is distroless Node.js, non-root, on port 9443', () => {
  assert.ok(stages.length >= 2, 'a build stage and a runtime stage');
  assert.match(runtime, /^FROM gcr\.io\/distroless\/nodejs\d+-debian\d+:nonroot@sha256:[0-9a-f]{64}\s*$/m);
  assert.match(runtime, /^USER 65532:65532$/m);
  assert.match(runtime, /^EXPOSE 9443$/m);
  assert.match(runtime, /^ENTRYPOINT \["\/nodejs\/bin\/node", "\/fn\.js"\]$/m);
  // Only the bundle goes into the runtime stage: no node_modules, no sources.
  assert.deepEqual(runtime.match(/^COPY .*$/gm), ['COPY --from=build /src/dist/fn.js /fn.js']);
});

test('every base image is pinned by digest with its tag beside it', () => {
  const loose: string[] = [];
  for (const file of repoFiles().filter((f) => path.basename(f) === 'Dockerfile')) {
    for (const m of fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)/gm)) {
      if (!/^[^@\s]+:[^@\s]+@sha256:[0-9a-f]{64}$/.test(m[1]!)) loose.push(`${file}: ${m[1]}`);
    }
  }
  assert.deepEqual(loose, []);
});

/** A .dockerignore decision for the simple form used here: patterns in order, the last match wins. */
export function dockerignoreAllows(patterns: string[], file: string): boolean {
  let allowed = true;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const glob = (negated ? raw.slice(1) : raw).replace(/\/+$/, '');
    const re = new RegExp(`^${glob.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*')}$`);
    const parts = file.split('/');
    const matches = parts.some((_, i) => re.test(parts.slice(0, i + 1).join('/')));
    if (matches) allowed = negated;
  }
  return allowed;
}

test('dockerignoreAllows follows the last matching pattern', () => {
  const p = ['*', '!package.json', '!fn/', '!fn/**'];
  assert.equal(dockerignoreAllows(p, 'package.json'), true);
  assert.equal(dockerignoreAllows(p, 'fn/core/api.ts'), true);
  assert.equal(dockerignoreAllows(p, 'test/x.ts'), false);
  assert.equal(dockerignoreAllows(p, 'README.md'), false);
});

test('the build context .dockerignore lets through builds the same dist/fn.js the tests run', () => {
  const patterns = fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const context = repoFiles().filter((f) => dockerignoreAllows(patterns, f));
  for (const m of stages[0]!.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
    for (const src of m[1]!.split(/\s+/)) assert.ok(context.some((f) => f === src || f.startsWith(`${src.replace(/\/$/, '')}/`)), `COPY ${src}: not in the build context`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-context-'));
  try {
    for (const f of context) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    }
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir'); // what `npm ci` installs
    const r = spawnSync(process.execPath, ['build.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const built = fs.readFileSync(path.join(dir, 'dist/fn.js'));
    assert.ok(built.equals(fs.readFileSync(path.join(REPO_ROOT, 'dist/fn.js'))), 'dist/fn.js built from the image context differs from the tested one (run npm run build?)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
