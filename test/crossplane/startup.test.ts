// How the server starts: where it listens by default, the SDK's common flags at the top level (as
// Crossplane's DeploymentRuntimeConfig and `crossplane render` pass them), and refusing to start on TLS
// files that cannot work.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { parseServeFlags } from '../../fn/crossplane/flags';
import { encodeRequest, FnClient, hasOpenssl, makeCerts, runToEnd, startFunction } from './harness';

const XR = { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web', namespace: 'team-web' }, spec: { nodes: [{ name: 'all' }] } };
const FIRST_CALL = encodeRequest({ tag: 'ok', observed: { composite: { resource: XR } } });

describe('listening address', () => {
  test('--insecure alone listens on loopback only', () => {
    assert.equal(parseServeFlags(['--insecure'], {}).address, '127.0.0.1:9443');
    assert.equal(parseServeFlags(['--insecure=true'], { TLS_SERVER_CERTS_DIR: '/tls' }).address, '127.0.0.1:9443');
  });

  test('mutual TLS listens on every interface (Crossplane must reach the pod)', () => {
    assert.equal(parseServeFlags([], { TLS_SERVER_CERTS_DIR: '/tls' }).address, '0.0.0.0:9443');
    assert.equal(parseServeFlags(['--tls-server-certs-dir', '/tls'], {}).address, '0.0.0.0:9443');
  });

  test('an address given explicitly wins, by flag or by FUNCTION_ADDRESS (as the image sets it)', () => {
    assert.equal(parseServeFlags(['--insecure', '--address', '0.0.0.0:9443'], {}).address, '0.0.0.0:9443');
    assert.equal(parseServeFlags(['--insecure'], { FUNCTION_ADDRESS: '0.0.0.0:9443' }).address, '0.0.0.0:9443');
    assert.equal(parseServeFlags(['--insecure', '--address=10.0.0.1:1'], { FUNCTION_ADDRESS: '0.0.0.0:9443' }).address, '10.0.0.1:1');
  });

  test('Go\'s ":9443" (every interface) and --network unix are understood', () => {
    assert.equal(parseServeFlags(['--insecure', '--address', ':9443'], {}).address, '0.0.0.0:9443');
    assert.equal(parseServeFlags(['--insecure', '--network', 'unix', '--address', '/tmp/fn.sock'], {}).address, 'unix:/tmp/fn.sock');
    assert.throws(() => parseServeFlags(['--insecure', '--network', 'udp'], {}), /--network takes tcp or unix, not "udp"/);
  });
});

describe('the SDK\'s flags at the top level imply serve mode', () => {
  const forms: string[][] = [
    ['--debug', '--insecure', '--address', '127.0.0.1:0'],
    ['-d', '--insecure', '--address=127.0.0.1:0'],
    ['--insecure', '--address', '127.0.0.1:0', '--max-recv-message-size', '8'],
    ['--insecure=true', '--debug=true', '--address', '127.0.0.1:0'],
  ];
  for (const args of forms) {
    test(`node fn.js ${args.join(' ')}`, async () => {
      const fn = await startFunction(args);
      const client = new FnClient(`127.0.0.1:${fn.port}`);
      try {
        const rsp = await client.run(FIRST_CALL);
        assert.equal((rsp.meta as { tag: string }).tag, 'ok');
      } finally {
        client.close();
        await fn.stop();
      }
    });
  }

  test('--debug with TLS_SERVER_CERTS_DIR (a DeploymentRuntimeConfig adding --debug) serves mutual TLS', { skip: !hasOpenssl() && 'openssl is not installed' }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-debug-'));
    try {
      makeCerts(dir);
      const fn = await startFunction(['--debug', '--address', '127.0.0.1:0'], { env: { TLS_SERVER_CERTS_DIR: dir } });
      const read = (f: string) => fs.readFileSync(path.join(dir, f));
      const client = new FnClient(`localhost:${fn.port}`, grpc.credentials.createSsl(read('ca.crt'), read('client.key'), read('client.crt')));
      try {
        await client.run(FIRST_CALL);
        assert.match(fn.stderr(), /"tls":"mutual"/);
        assert.match(fn.stderr(), /"level":"debug","logger":"function-security-policy","msg":"RunFunction"/);
      } finally {
        client.close();
        await fn.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unknown top-level flag: exit 1 with the usage', async () => {
    const r = await runToEnd(['--insecure', '--port', '9443']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown flag "--port"/);
    assert.match(r.stderr, /--max-concurrent-calls|--address/);
  });

  test('no arguments and no TLS_SERVER_CERTS_DIR is still the KRM function', async () => {
    const r = await runToEnd([], { input: 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n' });
    assert.match(r.stdout, /kind: ResourceList/, 'a ResourceList comes back');
    assert.match(r.stderr, /no SecurityPolicy found/, 'the KRM function read it');
  });

  test('an unknown command still says so', async () => {
    const r = await runToEnd(['frobnicate']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown command "frobnicate"/);
  });
});

describe('TLS files that cannot work: refuse to start, one line naming the file', { skip: !hasOpenssl() && 'openssl is not installed' }, () => {
  let good: string;
  before(() => {
    good = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-tls-good-'));
    makeCerts(good);
  });
  after(() => fs.rmSync(good, { recursive: true, force: true }));

  const cases: Array<{ name: string; file: string; content: (dir: string) => string | Buffer }> = [
    { name: 'a garbage ca.crt', file: 'ca.crt', content: () => 'this is not a certificate\n' },
    { name: 'a ca.crt holding a private key', file: 'ca.crt', content: (d) => fs.readFileSync(path.join(d, 'ca.key')) },
    { name: 'a truncated ca.crt', file: 'ca.crt', content: (d) => fs.readFileSync(path.join(d, 'ca.crt'), 'utf8').replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END') },
    { name: 'a garbage tls.crt', file: 'tls.crt', content: () => Buffer.from([0, 1, 2, 3, 255]) },
    { name: 'a garbage tls.key', file: 'tls.key', content: () => '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' },
    { name: 'a tls.key of another certificate', file: 'tls.key', content: (d) => fs.readFileSync(path.join(d, 'client.key')) },
    { name: 'an empty ca.crt', file: 'ca.crt', content: () => '' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-tls-bad-'));
      try {
        for (const f of ['ca.crt', 'tls.crt', 'tls.key']) fs.copyFileSync(path.join(good, f), path.join(dir, f));
        fs.writeFileSync(path.join(dir, c.file), c.content(good));
        const r = await runToEnd(['--address', '127.0.0.1:0'], { env: { TLS_SERVER_CERTS_DIR: dir } });
        assert.equal(r.code, 1, r.stderr);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        const line = JSON.parse(lines[0]!) as { level: string; error: string };
        assert.equal(line.level, 'error');
        assert.ok(line.error.includes(path.join(dir, c.file)), line.error);
        assert.doesNotMatch(r.stderr, /serving/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
