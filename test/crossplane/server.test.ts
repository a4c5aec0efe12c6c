// The server as a process: malformed and oversized requests answered with gRPC errors while it keeps
// serving, the start-up rules (mTLS or --insecure, nothing else), mutual TLS, and SIGTERM.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { generateNodes } from '../helpers/nodes';
import { encodeRequest, encodeResourcesEntry, FnClient, hasOpenssl, makeCerts, runToEnd, serveForSuite, startFunction, varint, type Running } from './harness';

const XR = {
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'web', namespace: 'team-web' },
  spec: { nodes: [{ name: 'all' }] },
};
const FIRST_CALL = encodeRequest({ tag: 'ok', observed: { composite: { resource: XR } } });

async function expectCode(p: Promise<unknown>, code: grpc.status, detail?: RegExp): Promise<void> {
  await assert.rejects(p, (e: grpc.ServiceError) => {
    assert.equal(e.code, code, `${e.code} ${e.details}`);
    if (detail) assert.match(e.details, detail);
    return true;
  });
}

/** observed { composite { resource <bytes> } }: a request whose Struct is the given bytes. */
function withCompositeStruct(struct: Buffer): Buffer {
  const resource = Buffer.concat([Buffer.from([0x0a]), varint(struct.length), struct]);
  const composite = Buffer.concat([Buffer.from([0x0a]), varint(resource.length), resource]);
  return Buffer.concat([Buffer.from([0x12]), varint(composite.length), composite]);
}

describe('malformed requests', () => {
  const suite = serveForSuite();

  const malformed: Array<{ name: string; bytes: Buffer }> = [
    { name: 'garbage bytes', bytes: Buffer.from('this is not a protocol buffer') },
    { name: 'a truncated message', bytes: FIRST_CALL.subarray(0, FIRST_CALL.length - 7) },
    // Struct.fields entry claims 5 bytes and has 1.
    { name: 'a garbage Struct', bytes: withCompositeStruct(Buffer.from([0x0a, 0x05, 0x0a])) },
    // A Value whose string length runs past its Struct.
    { name: 'a Value overrunning its Struct', bytes: withCompositeStruct(Buffer.from([0x0a, 0x06, 0x0a, 0x01, 0x61, 0x12, 0x01, 0x1a])) },
    { name: 'an over-long varint', bytes: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) },
  ];
  for (const m of malformed) {
    test(`${m.name}: INVALID_ARGUMENT, and the server keeps serving`, async () => {
      await expectCode(suite.client.raw(m.bytes), grpc.status.INVALID_ARGUMENT, /malformed RunFunctionRequest/);
      const rsp = await suite.client.run(FIRST_CALL);
      assert.equal((rsp.meta as { tag: string }).tag, 'ok');
    });
  }

  test('an empty request (no composite): a Fatal result, not a crash', async () => {
    const rsp = await suite.client.run(Buffer.alloc(0));
    assert.deepStrictEqual(rsp.results, [{ severity: 'SEVERITY_FATAL', reason: 'InvalidRequest', message: 'the request has no observed composite resource (observed.composite.resource)' }]);
  });
});

describe('size limit', () => {
  let fn: Running;
  let client: FnClient;
  before(async () => {
    fn = await startFunction(['serve', '--insecure', '--address', '127.0.0.1:0', '--max-recv-message-size', '1']);
    client = new FnClient(`127.0.0.1:${fn.port}`);
  });
  after(async () => {
    client?.close();
    await fn?.stop();
  });

  test('a request over --max-recv-message-size is RESOURCE_EXHAUSTED, and the server keeps serving', async () => {
    const huge = Buffer.concat([FIRST_CALL, encodeResourcesEntry(6, 'nodes-all', generateNodes(150, 7))]);
    assert.ok(huge.length > 1024 * 1024, `${huge.length} bytes`);
    await expectCode(client.raw(huge), grpc.status.RESOURCE_EXHAUSTED);
    const rsp = await client.run(FIRST_CALL);
    assert.equal((rsp.meta as { tag: string }).tag, 'ok');
  });
});

describe('start-up', () => {
  test('neither TLS certificates nor --insecure: refuses to start, exit 1, says why', async () => {
    const r = await runToEnd(['serve', '--address', '127.0.0.1:0']);
    assert.equal(r.code, 1);
    const line = JSON.parse(r.stderr.trim().split('\n').pop()!) as { level: string; msg: string; error: string };
    assert.equal(line.level, 'error');
    assert.match(line.error, /--tls-server-certs-dir or TLS_SERVER_CERTS_DIR.*--insecure/);
  });

  test('an unknown flag: exit 1 with the usage', async () => {
    const r = await runToEnd(['serve', '--insecure', '--port', '9443']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown flag "--port"/);
    assert.match(r.stderr, /--max-recv-message-size MB/);
  });

  test('a certificates directory without the files: exit 1 naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-empty-'));
    try {
      const r = await runToEnd([], { env: { TLS_SERVER_CERTS_DIR: dir } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot read .*ca\.crt/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SIGTERM: in-flight work finishes, the server stops, exit 0', async () => {
    const fn = await startFunction(['serve', '--insecure', '--address', '127.0.0.1:0']);
    const client = new FnClient(`127.0.0.1:${fn.port}`);
    try {
      await client.run(FIRST_CALL);
      fn.child.kill('SIGTERM');
      assert.deepStrictEqual(await fn.exited, { code: 0, signal: null });
      const msgs = fn.stderr().trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
      assert.deepStrictEqual(msgs, ['serving', 'shutting down', 'stopped']);
    } finally {
      client.close();
      await fn.stop();
    }
  });
});

describe('mutual TLS (TLS_SERVER_CERTS_DIR, no arguments: as Crossplane starts the image)', { skip: !hasOpenssl() && 'openssl is not installed' }, () => {
  let dir: string;
  let fn: Running;
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-tls-'));
    makeCerts(dir);
    fn = await startFunction([], { env: { TLS_SERVER_CERTS_DIR: dir } });
  });
  after(async () => {
    await fn?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('listens on 0.0.0.0:9443 by default with mutual TLS', () => {
    const line = JSON.parse(fn.stderr().split('\n')[0]!) as Record<string, unknown>;
    assert.equal(line.address, '0.0.0.0:9443');
    assert.equal(line.tls, 'mutual');
  });

  test('a client certificate signed by ca.crt is accepted', async () => {
    const client = new FnClient(`localhost:${fn.port}`, grpc.credentials.createSsl(read('ca.crt'), read('client.key'), read('client.crt')));
    try {
      const rsp = await client.run(FIRST_CALL);
      assert.equal((rsp.meta as { tag: string }).tag, 'ok');
    } finally {
      client.close();
    }
  });

  test('no client certificate: refused', async () => {
    const client = new FnClient(`localhost:${fn.port}`, grpc.credentials.createSsl(read('ca.crt')));
    try {
      await expectCode(client.raw(FIRST_CALL), grpc.status.UNAVAILABLE);
    } finally {
      client.close();
    }
  });

  test('a client certificate from another CA: refused', async () => {
    const client = new FnClient(`localhost:${fn.port}`, grpc.credentials.createSsl(read('ca.crt'), read('rogue.key'), read('rogue.crt')));
    try {
      await expectCode(client.raw(FIRST_CALL), grpc.status.UNAVAILABLE);
    } finally {
      client.close();
    }
  });

  test('plaintext: refused', async () => {
    const client = new FnClient(`localhost:${fn.port}`);
    try {
      await expectCode(client.raw(FIRST_CALL), grpc.status.UNAVAILABLE);
    } finally {
      client.close();
    }
  });
});
