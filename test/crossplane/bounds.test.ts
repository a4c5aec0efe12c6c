// The server's bounds over real gRPC (issue 8, finding 19): calls beyond --max-concurrent-calls or
// --max-inflight-bytes and a call needing more than --max-call-memory are answered RESOURCE_EXHAUSTED
// with a message naming the flag, the server keeps serving, and a small call is answered while a large
// one is still being worked on. No timings are asserted: only which answers come, and in which order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Admission } from '../../fn/crossplane/admission';
import { parseServeFlags } from '../../fn/crossplane/flags';
import { generateNodes } from '../helpers/nodes';
import { encodeRequest, FnClient, startFunction, varint, type Running } from './harness';
import { fnTypes } from '../../fn/crossplane/proto';
import { toStruct } from '../../fn/crossplane/struct';

const XR = { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web', namespace: 'team-web' }, spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] } };
const SMALL = encodeRequest({ tag: 'small', observed: { composite: { resource: XR } } });

/** A Struct `{nodes: [...]}` holding `count` whole Nodes, as wire bytes. */
function nodesStruct(count: number): Buffer {
  const Value = fnTypes().root.lookupType('google.protobuf.Value');
  const values: Buffer[] = [];
  for (const node of generateNodes(count, 3)) {
    const v = Buffer.from(Value.encode({ struct_value: toStruct(node as unknown as Record<string, unknown>) }).finish());
    values.push(Buffer.from([0x0a]), varint(v.length), v);
  }
  const list = Buffer.concat(values);
  const value = Buffer.concat([Buffer.from([0x32]), varint(list.length), list]);
  const entry = Buffer.concat([Buffer.from([0x0a, 0x05]), Buffer.from('nodes'), Buffer.from([0x12]), varint(value.length), value]);
  return Buffer.concat([Buffer.from([0x0a]), varint(entry.length), entry]);
}
const field = (tag: number, b: Buffer) => Buffer.concat([Buffer.from([tag]), varint(b.length), b]);

/** A request whose bulk (`count` whole Nodes) is in `context`, passed back. */
function contextHeavy(count: number, tag: string): Buffer {
  return Buffer.concat([encodeRequest({ tag, observed: { composite: { resource: XR } } }), field(0x2a, nodesStruct(count))]);
}

/** A request whose bulk is an earlier step's desired resource: decoded whole and encoded again. */
function desiredHeavy(count: number, tag: string): Buffer {
  const resource = field(0x0a, nodesStruct(count)); // Resource.resource = 1
  const entry = Buffer.concat([field(0x0a, Buffer.from('earlier')), field(0x12, resource)]);
  return Buffer.concat([encodeRequest({ tag, observed: { composite: { resource: XR } } }), field(0x1a, field(0x12, entry))]); // desired.resources
}

type Outcome = { ok: true; tag: string } | { ok: false; code: number; details: string };
async function outcome(client: FnClient, request: Buffer): Promise<Outcome> {
  try {
    const rsp = await client.run(request);
    return { ok: true, tag: (rsp.meta as { tag: string }).tag };
  } catch (e) {
    const err = e as grpc.ServiceError;
    return { ok: false, code: err.code, details: err.details };
  }
}

function serve(args: string[]): { fn: () => Running; client: () => FnClient } {
  let fn: Running;
  let client: FnClient;
  before(async () => {
    fn = await startFunction(['serve', '--insecure', '--address', '127.0.0.1:0', ...args]);
    client = new FnClient(`127.0.0.1:${fn.port}`);
  });
  after(async () => {
    client?.close();
    await fn?.stop();
  });
  return { fn: () => fn, client: () => client };
}

describe('--max-concurrent-calls', () => {
  const s = serve(['--max-concurrent-calls', '2']);

  test('calls beyond it are refused with RESOURCE_EXHAUSTED naming the flag; the others are answered; then it serves again', async () => {
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => outcome(s.client(), SMALL)));
    const refused = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    assert.ok(outcomes.some((o) => o.ok), 'some calls are answered');
    assert.ok(refused.length > 0, 'some of 200 calls at once are refused');
    for (const r of refused) {
      assert.equal(r.code, grpc.status.RESOURCE_EXHAUSTED, r.details);
      assert.match(r.details, /--max-concurrent-calls 2/);
    }
    assert.deepStrictEqual(await outcome(s.client(), SMALL), { ok: true, tag: 'small' });
  });
});

describe('large calls', () => {
  const s = serve(['--max-call-memory', '96Mi']);
  const large = desiredHeavy(2_500, 'large'); // ~30 MiB, far more once decoded and encoded again

  test('a call needing more than --max-call-memory: RESOURCE_EXHAUSTED naming the flag, and the server keeps serving', async () => {
    assert.ok(large.length > 20 * 2 ** 20, `${large.length} bytes`);
    const o = await outcome(s.client(), large);
    assert.ok(!o.ok, 'refused');
    assert.equal(o.code, grpc.status.RESOURCE_EXHAUSTED, o.details);
    assert.match(o.details, /--max-call-memory/);
    assert.deepStrictEqual(await outcome(s.client(), SMALL), { ok: true, tag: 'small' });
    // A fresh call process takes the next large call.
    assert.deepStrictEqual(await outcome(s.client(), desiredHeavy(350, 'medium')), { ok: true, tag: 'medium' });
  });

  test('twice in a row: both RESOURCE_EXHAUSTED, the server process lives on and answers small and medium calls', async () => {
    for (const round of [1, 2]) {
      const o = await outcome(s.client(), large);
      assert.ok(!o.ok, `round ${round}: refused`);
      assert.equal(o.code, grpc.status.RESOURCE_EXHAUSTED, `round ${round}: ${o.details}`);
      assert.match(o.details, /--max-call-memory/);
    }
    assert.equal(s.fn().child.exitCode, null, 'the server process is still running');
    assert.equal(s.fn().child.signalCode, null, 'the server process was not killed');
    assert.deepStrictEqual(await outcome(s.client(), SMALL), { ok: true, tag: 'small' });
    assert.deepStrictEqual(await outcome(s.client(), desiredHeavy(350, 'medium')), { ok: true, tag: 'medium' });
    assert.doesNotMatch(s.fn().stderr(), /FATAL ERROR/, 'no fatal error reached the server');
  });
});

describe('a small call during a large one', () => {
  const s = serve(['--debug']);

  test('is answered before the large one', async () => {
    const order: string[] = [];
    let largeDone = false;
    const large = outcome(s.client(), contextHeavy(1_200, 'large')).then((o) => { largeDone = true; order.push(o.ok ? o.tag : `error ${o.details}`); });
    // The small call is sent once the server holds the whole large request (its debug line says it is
    // admitted), or once the large call is answered, whichever comes first.
    while (!largeDone && !/"msg":"RunFunction admitted","requestBytes":\d{7,}/.test(s.fn().stderr())) await new Promise((r) => setTimeout(r, 5));
    const small = outcome(s.client(), SMALL).then((o) => order.push(o.ok ? o.tag : `error ${o.details}`));
    await Promise.all([large, small]);
    assert.deepStrictEqual(order, ['small', 'large']);
  });
});

test('admission: calls and bytes in flight are bounded; a lone request of any admitted size passes', () => {
  const a = new Admission({ maxConcurrentCalls: 3, maxInflightBytes: 100 });
  const big = a.admitBytes(250);
  assert.ok(big.ok, 'nothing else holds bytes: admitted');
  const refused = a.admitBytes(1);
  assert.ok(!refused.ok);
  assert.match(refused.reason, /--max-inflight-bytes/);
  if (big.ok) big.release();
  assert.ok(a.admitBytes(60).ok && a.admitBytes(40).ok, 'up to the bound');
  const calls = [a.admitCall(), a.admitCall(), a.admitCall()];
  assert.ok(calls.every((c) => c.ok));
  const fourth = a.admitCall();
  assert.ok(!fourth.ok);
  assert.match(fourth.reason, /--max-concurrent-calls 3/);
  for (const c of calls) if (c.ok) { c.release(); c.release(); }
  assert.equal(a.inFlight.calls, 0, 'a release counts once');
});

test('bounds flags: defaults, sizes with units, and refusals', () => {
  const d = parseServeFlags(['--insecure'], {});
  assert.equal(d.maxConcurrentCalls, 256);
  assert.equal(d.maxInflightBytes, 512 * 2 ** 20);
  assert.equal(d.maxCallMemoryMb, 2048);
  assert.equal(parseServeFlags(['--insecure', '--max-recv-message-size', '1024'], {}).maxInflightBytes, 2048 * 2 ** 20);
  assert.equal(parseServeFlags(['--insecure', '--max-inflight-bytes', '1Gi'], {}).maxInflightBytes, 2 ** 30);
  assert.equal(parseServeFlags(['--insecure', '--max-call-memory=512Mi'], {}).maxCallMemoryMb, 512);
  assert.throws(() => parseServeFlags(['--insecure', '--max-inflight-bytes', '100Mi'], {}), /must be at least --max-recv-message-size/);
  assert.throws(() => parseServeFlags(['--insecure', '--max-inflight-bytes', 'lots'], {}), /--max-inflight-bytes takes a size such as 512Mi/);
  assert.throws(() => parseServeFlags(['--insecure', '--max-concurrent-calls', '0'], {}), /--max-concurrent-calls takes a whole number/);
  assert.throws(() => parseServeFlags(['--insecure', '--max-call-memory', '1Mi'], {}), /at least 64Mi/);
});
