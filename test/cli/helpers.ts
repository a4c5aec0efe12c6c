// Test helpers: run dist/cli.js as a child process, and loopback HTTP servers standing in for the
// Kubernetes and Compute APIs. Everything is bounded in time and bound to 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIXTURES = join(__dirname, 'fixtures');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
  nodeArgs?: string[];
  cwd?: string;
}

/** Runs the bundled CLI; a hard 60 s cap so a hang fails the test instead of the whole run. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '', KUBECONFIG: '', HOME: emptyHome(), ...opts.env })) {
    if (v !== undefined && v !== '') env[k] = v;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], { env, cwd: opts.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

let home: string | undefined;
/** A HOME without ~/.kube/config, so the developer's own cluster is never contacted. */
function emptyHome(): string {
  home ??= mkdtempSync(join(tmpdir(), 'sp-cli-home-'));
  return home;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sp-cli-'));
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface Loopback {
  url: string;
  port: number;
  requests: URL[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a random port; records every request URL. */
export async function loopback(handler: Handler): Promise<Loopback> {
  const requests: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    handler(req, res, url);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A kubeconfig file whose one context points at `server` with a bearer token. */
export function writeKubeconfig(dir: string, server: string, contexts: string[] = ['test']): string {
  const file = join(dir, 'kubeconfig.yaml');
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${contexts[0]}`,
    'clusters:',
    ...contexts.map((c) => `  - name: ${c}\n    cluster:\n      server: ${server}\n      insecure-skip-tls-verify: true`),
    'users:',
    '  - name: tester\n    user:\n      token: test-token',
    'contexts:',
    ...contexts.map((c) => `  - name: ${c}\n    context:\n      cluster: ${c}\n      user: tester`),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
