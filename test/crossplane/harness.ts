// Test harness for the Crossplane function: starts dist/fn.js the way the image does (a child
// process, `serve` or TLS_SERVER_CERTS_DIR), and calls it over real gRPC on loopback with a client
// built from the same hand-written protocol definitions (fn/crossplane/proto.ts), decoding
// responses with the generic protobufjs decoder, independent of the server's own wire.ts decoder.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { fnTypes, SERVICE } from '../../fn/crossplane/proto';
import { fromStruct, toStruct, type PbStruct } from '../../fn/crossplane/struct';

export const REPO = path.resolve(__dirname, '../..');
export const FN_JS = path.join(REPO, 'dist/fn.js');

export type Obj = Record<string, unknown>;

export interface Running {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: () => Promise<void>;
}

/** Spawns `node <script> <args>` and waits for its "serving" log line. */
export async function startFunction(args: string[], opts: { env?: NodeJS.ProcessEnv; script?: string; cwd?: string } = {}): Promise<Running> {
  if (!fs.existsSync(opts.script ?? FN_JS)) throw new Error(`${opts.script ?? FN_JS} is missing: run npm run build first`);
  const child = spawn(process.execPath, [opts.script ?? FN_JS, ...args], {
    cwd: opts.cwd ?? REPO,
    env: { PATH: process.env.PATH, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: string) => {
      err += chunk;
      for (const line of err.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'serving' && typeof entry.port === 'number') {
            resolve(entry.port);
            return;
          }
        } catch { /* a partial line */ }
      }
    };
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`function exited (${code ?? signal}) before serving:\n${err}`)));
  });
  return {
    child,
    port,
    stderr: () => err,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Waits for a child's exit. */
export function runToEnd(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; script?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [opts.script ?? FN_JS, ...args], { cwd: opts.cwd ?? REPO, env: { PATH: process.env.PATH, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

// ---- requests ----------------------------------------------------------------------------------

export interface ResourceIn { resource?: object; ready?: number; connection_details?: Record<string, Buffer> }
export interface RequestIn {
  tag?: string;
  capabilities?: number[];
  observed?: { composite?: ResourceIn; resources?: Record<string, ResourceIn> };
  desired?: { composite?: ResourceIn; resources?: Record<string, ResourceIn> };
  context?: Obj;
  input?: Obj;
  extra_resources?: Record<string, object[]>;
  required_resources?: Record<string, object[]>;
}

function resourceMsg(r: ResourceIn): Obj {
  const m: Obj = {};
  if (r.resource) m.resource = toStruct(r.resource as Obj);
  if (r.connection_details) m.connection_details = r.connection_details;
  if (r.ready) m.ready = r.ready;
  return m;
}

function stateMsg(s: NonNullable<RequestIn['observed']>): Obj {
  const m: Obj = { resources: Object.fromEntries(Object.entries(s.resources ?? {}).map(([k, v]) => [k, resourceMsg(v)])) };
  if (s.composite) m.composite = resourceMsg(s.composite);
  return m;
}

export function encodeRequest(r: RequestIn): Buffer {
  const msg: Obj = { meta: { tag: r.tag ?? '', capabilities: r.capabilities ?? [] } };
  if (r.observed) msg.observed = stateMsg(r.observed);
  if (r.desired) msg.desired = stateMsg(r.desired);
  if (r.context) msg.context = toStruct(r.context);
  if (r.input) msg.input = toStruct(r.input);
  const resources = (m: Record<string, object[]>) => Object.fromEntries(Object.entries(m).map(([k, items]) => [k, { items: items.map((o) => ({ resource: toStruct(o as Obj) })) }]));
  if (r.extra_resources) msg.extra_resources = resources(r.extra_resources);
  if (r.required_resources) msg.required_resources = resources(r.required_resources);
  const T = fnTypes().RunFunctionRequest;
  const err = T.verify(msg);
  if (err) throw new Error(`test request does not verify: ${err}`);
  return Buffer.from(T.encode(msg).finish());
}

// ---- responses ---------------------------------------------------------------------------------

/** A decoded response: enums by name, Structs as JSON, default scalars left out (proto3 JSON style). */
export function decodeResponse(bytes: Buffer): Obj {
  const T = fnTypes().RunFunctionResponse;
  const o = T.toObject(T.decode(bytes), { enums: String, longs: Number, bytes: String, defaults: false, arrays: true, objects: true, oneofs: false }) as Obj;
  const resource = (r: Obj): Obj => (r.resource ? { ...r, resource: fromStruct(r.resource as PbStruct) } : r);
  const state = (s: Obj | undefined): Obj | undefined => {
    if (!s) return s;
    const out: Obj = { ...s, resources: Object.fromEntries(Object.entries((s.resources ?? {}) as Record<string, Obj>).map(([k, v]) => [k, resource(v)])) };
    if (s.composite) out.composite = resource(s.composite as Obj);
    return out;
  };
  const out: Obj = { ...o, desired: state(o.desired as Obj | undefined) };
  if (o.context) out.context = fromStruct(o.context as PbStruct);
  return out;
}

export class FnClient {
  readonly client: grpc.Client;
  constructor(target: string, credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(), options: grpc.ChannelOptions = {}) {
    this.client = new grpc.Client(target, credentials, { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1, ...options });
  }

  raw(request: Buffer, service = SERVICE): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(`/${service}/RunFunction`, (b: Buffer) => b, (b: Buffer) => b, request, { deadline: Date.now() + 120_000 } as grpc.CallOptions, (err, value) => (err ? reject(err) : resolve(value!)));
    });
  }

  async run(request: RequestIn | Buffer): Promise<Obj> {
    return decodeResponse(await this.raw(Buffer.isBuffer(request) ? request : encodeRequest(request)));
  }

  close(): void {
    this.client.close();
  }
}

// ---- large requests ----------------------------------------------------------------------------

/**
 * One `map<string, Resources>` entry (field 6 extra_resources or 8 required_resources) with the given
 * objects, encoded object by object so a 15,000-Node request never exists as one protobufjs message.
 */
export function encodeResourcesEntry(field: 6 | 8, key: string, objects: Iterable<object>): Buffer {
  const T = fnTypes().root.lookupType('apiextensions.fn.proto.v1.Resource');
  const items: Buffer[] = [];
  for (const o of objects) {
    const resource = Buffer.from(T.encode({ resource: toStruct(o as Obj) }).finish());
    items.push(Buffer.from([0x0a]), varint(resource.length), resource); // Resources.items = 1
  }
  const resources = Buffer.concat(items);
  const keyBytes = Buffer.from(key, 'utf8');
  const entry = Buffer.concat([Buffer.from([0x0a]), varint(keyBytes.length), keyBytes, Buffer.from([0x12]), varint(resources.length), resources]);
  return Buffer.concat([varint((field << 3) | 2), varint(entry.length), entry]);
}

export function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

// ---- throwaway certificates --------------------------------------------------------------------

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A throwaway CA, a server certificate for localhost/127.0.0.1 and client certificates. */
export function makeCerts(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  fs.writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const ca of ['ca', 'rogue-ca']) ssl('req', '-x509', ...ec, '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '1', '-subj', `/CN=${ca}`);
  const sign = (name: string, ca: string, ext: string) => {
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', ext);
  };
  sign('tls', 'ca', 'server.ext');
  sign('client', 'ca', 'client.ext');
  sign('rogue', 'rogue-ca', 'client.ext');
}


/**
 * Serves `fn.js serve --insecure` on a free loopback port for the enclosing describe block, as the
 * image would start it; `suite.fn` and `suite.client` are set before its tests run and stopped after.
 */
export function serveForSuite(): { fn: Running; client: FnClient } {
  const suite = {} as { fn: Running; client: FnClient };
  before(async () => {
    suite.fn = await startFunction(['serve', '--insecure', '--address', '127.0.0.1:0']);
    suite.client = new FnClient(`127.0.0.1:${suite.fn.port}`);
  });
  after(async () => {
    suite.client?.close();
    await suite.fn?.stop();
  });
  return suite;
}
