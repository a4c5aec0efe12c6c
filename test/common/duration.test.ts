// The one duration grammar (Go's, unsigned), shared by the CLI's --timeout and `fn.js serve --ttl`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DurationError, parseDuration } from '../../fn/common/duration';
import { runCli } from '../cli/helpers';

const FN = join(resolve(__dirname, '..', '..'), 'dist', 'fn.js');

describe('parseDuration', () => {
  it('reads Go durations', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('2h45m'), 9_900_000);
    assert.equal(parseDuration('1500us'), 1.5);
    assert.equal(parseDuration('0'), 0);
  });

  for (const bad of ['', '30', '-5s', '5 s', '5x', 's', '1e3s', '1m30', `${'9'.repeat(400)}h`, '5s '.repeat(40)]) {
    it(`refuses ${JSON.stringify(bad.slice(0, 20))}`, () => {
      assert.throws(() => parseDuration(bad), (e: unknown) => e instanceof DurationError && /^invalid duration "/.test(e.message) && e.message.length < 200);
    });
  }

  it('says that a bare number needs a unit', () => {
    assert.throws(() => parseDuration('30'), /a number needs a unit/);
  });
});

describe('one grammar in both programs', () => {
  it('the CLI --timeout takes a compound duration (1m30s)', async () => {
    const r = await runCli(['plan', '--timeout', '1m30s', 'no-such-file.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: no-such-file\.yaml: no such file or directory$/m);
  });

  it('the CLI --timeout refuses a number without a unit, naming the flag', async () => {
    const r = await runCli(['plan', '--timeout', '30', 'no-such-file.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --timeout: invalid duration "30": a number needs a unit/m);
  });

  it('the CLI --timeout must be positive', async () => {
    const r = await runCli(['plan', '--timeout', '0', 'no-such-file.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --timeout must be longer than 0/m);
  });

  it('the CLI --timeout has an upper bound (timers beyond 24.8 days fire at once)', async () => {
    const r = await runCli(['plan', '--timeout', '1000h', 'no-such-file.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --timeout "1000h" is longer than the most it takes, 1h$/m);
  });

  it('fn.js serve --ttl gives the same message for the same mistake', () => {
    const r = spawnSync(process.execPath, [FN, 'serve', '--insecure', '--address', '127.0.0.1:0', '--ttl', '30'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /invalid duration "30": a number needs a unit/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
