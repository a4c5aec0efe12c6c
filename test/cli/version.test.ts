// `--version` on both bundles prints package.json's version, injected at build time: each bundle runs
// alone, copied into an empty folder, with no package.json to read.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from './helpers';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

function runAlone(bundle: string, args: string[]) {
  const dir = tempDir();
  copyFileSync(join(ROOT, 'dist', bundle), join(dir, bundle));
  return spawnSync(process.execPath, [join(dir, bundle), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000, input: '' });
}

describe('--version', () => {
  for (const bundle of ['fn.js', 'cli.js']) {
    it(`${bundle} --version prints ${version}, alone in an empty folder`, () => {
      const r = runAlone(bundle, ['--version']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${version}\n`);
      assert.equal(r.stderr, '');
    });
  }

  it('the version is in the bundle as text, not read from package.json at run time', () => {
    for (const bundle of ['fn.js', 'cli.js']) {
      const text = readFileSync(join(ROOT, 'dist', bundle), 'utf8');
      assert.ok(text.includes(JSON.stringify(version)), `${bundle} holds "${version}"`);
      assert.doesNotMatch(text, /package\.json/);
    }
  });
});
