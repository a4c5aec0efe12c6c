// The call process that runs large requests (fn/crossplane/call-process.ts): its frames survive any
// split of the byte stream, a malformed large request is still INVALID_ARGUMENT, a death other than
// running out of memory is INTERNAL, and the child never outlives the server (SIGTERM or killed).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { CallProcess } from '../../fn/crossplane/call-process';
import { FrameKind, FrameReader, frameHeader } from '../../fn/crossplane/frames';
import { encodeRequest, FnClient, startFunction, varint } from './harness';

const XR = { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web', namespace: 'team-web' }, spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] } };
const SMALL = encodeRequest({ tag: 'small', observed: { composite: { resource: XR } } });
/** A request of 5 MiB (over the 4 MiB from which calls go to the call process): `context` holds a string. */
const MEDIUM = Buffer.concat([
  encodeRequest({ tag: 'medium', observed: { composite: { resource: XR } } }),
  (() => {
    const text = Buffer.alloc(5 * 2 ** 20, 'x');
    const value = Buffer.concat([Buffer.from([0x1a]), varint(text.length), text]); // Value.string_value = 3
    const entry = Buffer.concat([Buffer.from([0x0a, 0x04]), Buffer.from('note'), Buffer.from([0x12]), varint(value.length), value]);
    const struct = Buffer.concat([Buffer.from([0x0a]), varint(entry.length), entry]);
    return Buffer.concat([Buffer.from([0x2a]), varint(struct.length), struct]); // RunFunctionRequest.context = 5
  })(),
]);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const childrenOf = (pid: number): number[] =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('frames', () => {
  const frame = (kind: FrameKind, body: Buffer) => Buffer.concat([frameHeader(kind, body.length), body]);
  const stream = Buffer.concat([frame(FrameKind.REQUEST, Buffer.from('first')), frame(FrameKind.FAILED, Buffer.alloc(0)), frame(FrameKind.RESPONSE, Buffer.from([0, 1, 2, 255]))]);
  const expected = [[FrameKind.REQUEST, 'first'], [FrameKind.FAILED, ''], [FrameKind.RESPONSE, '000102ff']];

  test('every frame comes out whole, however the stream is cut', () => {
    for (let size = 1; size <= stream.length; size++) {
      const got: Array<[number, string]> = [];
      const reader = new FrameReader((kind, body) => got.push([kind, kind === FrameKind.RESPONSE ? body.toString('hex') : body.toString('utf8')]));
      for (let at = 0; at < stream.length; at += size) reader.push(stream.subarray(at, at + size));
      assert.deepStrictEqual(got, expected, `chunks of ${size} bytes`);
    }
  });
});

describe('a death of the call process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'call-process-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, source: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, source);
    return file;
  };

  test('other than out of memory: INTERNAL naming the exit, and the next call gets a fresh process', async () => {
    const calls = new CallProcess({ script: script('exits.js', "process.stderr.write('something broke\\n'); process.exit(3);\n"), ttlMs: 1000, maxCallMemoryMb: 64 });
    for (const round of [1, 2]) {
      const r = await calls.run(Buffer.from('request'));
      assert.ok(!r.ok, `round ${round}`);
      assert.equal(r.code, 'INTERNAL');
      assert.match(r.message, /call process stopped unexpectedly \(exit code 3\): something broke/);
    }
    calls.close();
  });

  test("out of memory (V8's message, then abort): RESOURCE_EXHAUSTED naming --max-call-memory", async () => {
    const source = "process.stderr.write('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n'); process.abort();\n";
    const calls = new CallProcess({ script: script('oom.js', source), ttlMs: 1000, maxCallMemoryMb: 64 });
    const r = await calls.run(Buffer.alloc(2 ** 20));
    assert.ok(!r.ok);
    assert.equal(r.code, 'RESOURCE_EXHAUSTED');
    assert.match(r.message, /answering this 1 MiB request needs more than the 64 MiB a call may use \(--max-call-memory\)/);
    calls.close();
  });
});

describe('the call process in the server', () => {
  test('a malformed large request is INVALID_ARGUMENT, and large calls go on being answered', async () => {
    const fn = await startFunction(['serve', '--insecure', '--address', '127.0.0.1:0', '--debug']);
    const client = new FnClient(`127.0.0.1:${fn.port}`);
    try {
      const truncated = MEDIUM.subarray(0, MEDIUM.length - 7);
      await assert.rejects(client.raw(truncated), (e: grpc.ServiceError) => {
        assert.equal(e.code, grpc.status.INVALID_ARGUMENT, e.details);
        assert.match(e.details, /malformed RunFunctionRequest/);
        return true;
      });
      assert.match(fn.stderr(), /"msg":"RunFunction admitted","requestBytes":\d+,"runsIn":"call process"/);
      assert.equal(((await client.run(MEDIUM)).meta as { tag: string }).tag, 'medium');
      assert.equal(((await client.run(SMALL)).meta as { tag: string }).tag, 'small');
    } finally {
      client.close();
      await fn.stop();
    }
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    test(`${signal} to the server: the call process ends too`, { timeout: 60_000 }, async () => {
      const fn = await startFunction(['serve', '--insecure', '--address', '127.0.0.1:0']);
      const client = new FnClient(`127.0.0.1:${fn.port}`);
      assert.equal(((await client.run(MEDIUM)).meta as { tag: string }).tag, 'medium');
      client.close();
      const children = childrenOf(fn.child.pid!);
      assert.equal(children.length, 1, 'one call process');
      fn.child.kill(signal);
      await fn.exited;
      await until(() => !alive(children[0]!));
    });
  }
});
