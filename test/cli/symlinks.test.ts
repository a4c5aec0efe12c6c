// Symbolic links in a folder given to render (finding 23): the folder is what is rendered, so nothing
// outside it is read, and a broken link is an error naming that file, not an ENOENT for the whole run.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, runCli, tempDir } from './helpers';

/** A folder holding the policy and the Nodes, as an Argo CD application folder would. */
function appFolder(): string {
  const dir = join(tempDir(), 'app');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  copyFileSync(join(FIXTURES, 'policy.yaml'), join(dir, 'policy.yaml'));
  copyFileSync(join(FIXTURES, 'nodes.yaml'), join(dir, 'sub', 'nodes.yaml'));
  return dir;
}

const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata: {name: outside-secret, namespace: default}\nstringData: {password: hunter2}\n';

describe('render: symbolic links in a folder', () => {
  it('a link to a file inside the folder is read once, as the file', async () => {
    const dir = appFolder();
    symlinkSync(join(dir, 'policy.yaml'), join(dir, 'sub', 'policy-link.yaml'));
    const r = await runCli(['render', dir]);
    // Read twice, the one SecurityPolicy would be two generating the same Cloud Armor policy.
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, (await runCli(['render', join(FIXTURES, 'policy.yaml'), join(FIXTURES, 'nodes.yaml')])).stdout);
  });

  it('a *.yaml link pointing outside the folder is refused, naming the link, and nothing is emitted', async () => {
    const dir = appFolder();
    const outside = join(dir, '..', 'outside.yaml');
    writeFileSync(outside, SECRET);
    symlinkSync(outside, join(dir, 'sub', 'leak.yaml'));
    const r = await runCli(['render', '--passthrough', dir]);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
    assert.match(r.stderr, /^error: .*sub\/leak\.yaml: .*outside/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('a relative link climbing out of the folder is refused too', async () => {
    const dir = appFolder();
    writeFileSync(join(dir, '..', 'outside.yaml'), SECRET);
    symlinkSync('../../outside.yaml', join(dir, 'sub', 'up.yaml'));
    const r = await runCli(['render', '--passthrough', dir]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /outside-secret/);
    assert.match(r.stderr, /sub\/up\.yaml: .*outside/);
  });

  it('a linked folder pointing outside is refused, naming it', async () => {
    const dir = appFolder();
    const outsideDir = join(dir, '..', 'elsewhere');
    mkdirSync(outsideDir);
    writeFileSync(join(outsideDir, 'secret.yaml'), SECRET);
    symlinkSync(outsideDir, join(dir, 'linked'));
    const r = await runCli(['render', '--passthrough', dir]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /outside-secret/);
    assert.match(r.stderr, /linked: .*outside/);
  });

  it('a dangling *.yaml link is an error naming it (an input that cannot be read is never skipped)', async () => {
    const dir = appFolder();
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'sub', 'broken.yaml'));
    const r = await runCli(['render', dir]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: .*sub\/broken\.yaml: .*dangling/m);
    assert.doesNotMatch(r.stderr, /ENOENT: no such file or directory, stat/);
  });

  it('a dangling link that is not an input (no .yaml/.yml/.json name) does not fail the render', async () => {
    const dir = appFolder();
    symlinkSync(join(dir, 'nowhere'), join(dir, 'sub', 'README'));
    symlinkSync(join(dir, 'nowhere-dir'), join(dir, 'cache'));
    const r = await runCli(['render', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /cache: dangling symbolic link, skipped/);
  });

  it('every bad file is reported, not only the first', async () => {
    const dir = appFolder();
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'a.yaml'));
    writeFileSync(join(dir, '..', 'outside.yaml'), SECRET);
    symlinkSync(join(dir, '..', 'outside.yaml'), join(dir, 'b.yaml'));
    const r = await runCli(['render', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a\.yaml: .*dangling/);
    assert.match(r.stderr, /b\.yaml: .*outside/);
  });

  it('a link loop inside the folder ends', async () => {
    const dir = appFolder();
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    const r = await runCli(['render', dir]);
    assert.equal(r.code, 0, r.stderr);
  });
});
