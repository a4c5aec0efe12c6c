// Every CLI failure is one clear `error:` line and exit 1, never a stack trace: a full disk or a
// closed pipe on stdout, an output file that cannot be written, and Google credentials that are
// missing or point nowhere (the google client used to leave a rejected promise behind).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI, FIXTURES, ROOT, runCli, tempDir } from './helpers';

const RENDER = ['render', join(FIXTURES, 'policy.yaml'), join(FIXTURES, 'nodes.yaml')];
const IMPORT = ['import', '--from', join(FIXTURES, 'gcloud-describe.json')];

/** Runs the CLI with stdout on /dev/full, or on a pipe whose reading end is closed at once. */
function runWithBrokenStdout(args: string[], stdout: 'full' | 'closed-pipe'): Promise<{ code: number | null; stderr: string }> {
  const fd = stdout === 'full' ? openSync('/dev/full', 'w') : undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, HOME: tempDir() }, stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
    if (fd !== undefined) closeSync(fd);
    else child.stdout!.destroy();
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** The error lines only (import's warnings about unexpressed rules come before them, by design). */
function assertOneErrorLine(stderr: string, pattern: RegExp): void {
  assert.doesNotMatch(stderr, /\n\s+at /, `no stack trace:\n${stderr}`);
  assert.doesNotMatch(stderr, /node:events|Unhandled|throw er/, stderr);
  const errors = stderr.split('\n').filter((l) => l.startsWith('error:'));
  assert.equal(errors.length, 1, stderr);
  assert.match(errors[0]!, pattern);
  assert.deepEqual(stderr.split('\n').filter((l) => l && !/^(error|warning):|^imported /.test(l)), [], `only error/warning lines:\n${stderr}`);
}

describe('CLI failure output', { skip: !existsSync('/dev/full') && 'no /dev/full' }, () => {
  for (const [name, args] of [['render', RENDER], ['import', IMPORT], ['--help', ['--help']]] as const) {
    it(`${name} > /dev/full: one line, exit 1`, async () => {
      const r = await runWithBrokenStdout([...args], 'full');
      assert.equal(r.code, 1, r.stderr);
      assertOneErrorLine(r.stderr, /^error: cannot write to stdout: no space left on device \(ENOSPC\)$/);
    });

    it(`${name} into a closed pipe: one line, exit 1`, async () => {
      const r = await runWithBrokenStdout([...args], 'closed-pipe');
      assert.equal(r.code, 1, r.stderr);
      assertOneErrorLine(r.stderr, /^error: cannot write to stdout: the reader closed the pipe \(EPIPE\)$/);
    });
  }

  it('import -o FILE on a full disk names the file', async () => {
    const r = await runCli([...IMPORT, '-o', '/dev/full']);
    assert.equal(r.code, 1, r.stderr);
    assertOneErrorLine(r.stderr, /^error: cannot write \/dev\/full: no space left on device \(ENOSPC\)$/);
  });
});

describe('Google credentials missing or pointing nowhere', () => {
  // No network: the metadata server is never probed (google-auth reads this variable).
  const offline = { METADATA_SERVER_DETECTION: 'none', GOOGLE_CLOUD_PROJECT: undefined, CLOUDSDK_CORE_PROJECT: undefined } as Record<string, string | undefined>;
  const cases: Array<[string, string[]]> = [
    ['plan', ['plan', '--project', 'my-project', join(FIXTURES, 'policy.yaml'), join(FIXTURES, 'nodes.yaml')]],
    ['import', ['import', '--project', 'my-project', '--policy', 'web-allowlist']],
  ];
  for (const [name, args] of cases) {
    it(`${name} with GOOGLE_APPLICATION_CREDENTIALS=/nonexistent: one message, no stack, exit 1`, async () => {
      const r = await runCli(args, { env: { ...offline, GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent' } });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assertOneErrorLine(r.stderr, /^error: .*GOOGLE_APPLICATION_CREDENTIALS=\/nonexistent.*(no such file|does not exist)/);
    });

    it(`${name} without any credentials: one message, no stack, exit 1`, async () => {
      const r = await runCli(args, { env: { ...offline, GOOGLE_APPLICATION_CREDENTIALS: undefined } });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assertOneErrorLine(r.stderr, /^error: no Application Default Credentials to read projects\/my-project\/global\/securityPolicies\/web-allowlist: run "gcloud auth application-default login"/);
    });

    // google-auth then probes the GCE metadata server; when it is unreachable it adds a process warning
    // ("MetadataLookupWarning: received unexpected error") after our message.
    it(`${name} without any credentials, metadata server probed: still one message`, async () => {
      const r = await runCli(args, { env: { ...offline, METADATA_SERVER_DETECTION: undefined, GOOGLE_APPLICATION_CREDENTIALS: undefined } });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assertOneErrorLine(r.stderr, /^error: no Application Default Credentials to read projects\/my-project\/global\/securityPolicies\/web-allowlist: run "gcloud auth application-default login"/);
    });
  }
});
