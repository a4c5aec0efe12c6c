// Shared plumbing for the end-to-end tests that drive the real orchestrators (kpt, kustomize) and the
// built bundle: where things are, how to run a command, and how to compare directory trees.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const FN_BUNDLE = path.join(REPO, 'dist/fn.js');
export const BIN_DIR = path.join(REPO, 'bin');

/** The absolute path of a required tool; throws (the test fails, never skips) when it is missing. */
export function requireTool(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = r.stdout.trim();
  if (r.status !== 0 || !found) throw new Error(`${name} is required for this test and is not on PATH`);
  return found;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input ?? '', env: opts.env ?? process.env, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 30 });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Every file below `dir` (relative path -> content), skipping the folders named in `skip`. */
export function readTree(dir: string, skip: string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (skip.includes(e.name)) continue;
      if (e.isDirectory()) walk(r);
      else out.set(r, fs.readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function copyTree(from: string, to: string, skip: string[] = []): void {
  for (const [rel, content] of readTree(from, skip)) {
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.writeFileSync(path.join(to, rel), content);
  }
}

/** Example folders below examples/<kind>/ (each scenario is one folder). */
export function scenarios(kind: string): string[] {
  const dir = path.join(REPO, 'examples', kind);
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
}

/**
 * Where the expected outputs of examples/<kind>/<name> live: test/e2e/expected/<kind>/<name>. They are
 * kept out of the example folders because kpt reads every file of a package, hidden folders included:
 * an expected output inside the package would be rendered (and rewritten) as package content.
 */
export function expectedPath(kind: string, name: string): string {
  return path.join(REPO, 'test/e2e/expected', kind, name);
}

/** UPDATE_EXPECTED=1 rewrites the expected outputs from what the tools produce (review the diff!). */
export const UPDATE_EXPECTED = process.env.UPDATE_EXPECTED === '1';
