// RunFunction latency over loopback gRPC: the function (`node dist/fn.js serve --insecure`) and two
// floors, a bare grpc-js server that echoes the request and one that answers an empty message (the
// cost of receiving alone), each run in a child process; another process is the client, sending the
// same request bytes to each, sequentially and with 16 calls in flight.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runFunctionRequest } from './grpc-request';
import { FN_JS, NODE, REPO } from './proc';
import { mib, ms, quantile } from './stats';
import type { Row } from './table';

interface Server { child: ChildProcess; port: number; stop: () => Promise<void> }

function startServer(args: string[]): Promise<Server> {
  const child = spawn(NODE, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not start: ${err}`)); }, 30_000);
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      const m = /"msg":"serving".*?"port":(\d+)/.exec(err);
      if (m && timer) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), stop: async () => { if (child.exitCode === null) child.kill('SIGTERM'); await exited; } });
        err = '';
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before serving: ${err}`)));
  });
}

interface ClientResult { latencies: number[]; totalMs: number; responseBytes: number }

function runClient(port: number, file: string, warmup: number, calls: number, inFlight: number): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ['--import', 'tsx', path.join(__dirname, 'grpc-client.ts'), String(port), file, String(warmup), String(calls), String(inFlight)], {
      cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' },
    });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`client failed (${code}): ${err}`));
      else resolve(JSON.parse(out) as ClientResult);
    });
  });
}

/** `inFlight` (default 16) must fit the server's --max-inflight-bytes (512 MiB by default): 16 calls of
 * 177 MiB at once are refused RESOURCE_EXHAUSTED by design, so the 15,000-Node size sends 2 at once. */
export interface GrpcSize { nodes: number; sequential: number; concurrent: number; inFlight?: number; p99Target?: number }

const fmt = (r: ClientResult) =>
  `p50 ${ms(quantile(r.latencies, 0.5))}, p99 ${ms(quantile(r.latencies, 0.99))}, ${((r.latencies.length / r.totalMs) * 1000).toFixed(r.latencies.length / r.totalMs > 0.1 ? 0 : 1)} calls/s`;

export async function grpcLatency(opts: { sizes: GrpcSize[] }): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-bench-grpc-'));
  const rows: Row[] = [];
  let fn: Server | undefined;
  let echo: Server | undefined;
  let sink: Server | undefined;
  try {
    fn = await startServer([FN_JS, 'serve', '--insecure', '--address', '127.0.0.1:0']);
    echo = await startServer(['--import', 'tsx', path.join(__dirname, 'grpc-echo-server.ts')]);
    sink = await startServer(['--import', 'tsx', path.join(__dirname, 'grpc-echo-server.ts'), 'sink']);
    for (const size of opts.sizes) {
      const file = path.join(dir, `request-${size.nodes}.bin`);
      const bytes = runFunctionRequest(size.nodes);
      fs.writeFileSync(file, bytes);
      const warmup = size.nodes >= 10_000 ? 1 : 5;
      const parallel = size.inFlight ?? 16;
      for (const [mode, calls, inFlight] of [['sequential', size.sequential, 1], [`${parallel} in flight`, size.concurrent, parallel]] as const) {
        const f = await runClient(fn.port, file, warmup, calls, inFlight);
        const e = await runClient(echo.port, file, warmup, calls, inFlight);
        const k = await runClient(sink.port, file, warmup, calls, inFlight);
        const p50 = quantile(f.latencies, 0.5);
        const p99 = quantile(f.latencies, 0.99);
        const ratio = p50 / quantile(e.latencies, 0.5);
        // The absolute p99 targets are for one call at a time; with calls in flight a call also waits for
        // those ahead of it, so those rows are held to the echo floor only.
        const p99Target = mode === 'sequential' ? size.p99Target : undefined;
        const passP99 = p99Target === undefined || p99 <= p99Target;
        rows.push({
          name: `RunFunction ${size.nodes.toLocaleString('en')} Nodes (${mib(bytes.length)}), ${mode}`,
          measured: fmt(f),
          baseline: `echo: ${fmt(e)}; empty answer: p50 ${ms(quantile(k.latencies, 0.5))}, p99 ${ms(quantile(k.latencies, 0.99))}`,
          ratio,
          target: `${p99Target !== undefined ? `p99 <= ${ms(p99Target)}; ` : ''}p50 <= 2x echo`,
          pass: passP99 && ratio <= 2,
          note: `${mode === 'sequential' ? `${calls} calls after ${warmup} warm-up; response ${mib(f.responseBytes)} (echo returns the ${mib(bytes.length)} request); ratio is p50 over echo p50` : `${calls} calls, ${inFlight} outstanding`}; p50 over the empty-answer floor's p50: ${(p50 / quantile(k.latencies, 0.5)).toFixed(2)}x`,
        });
      }
    }
  } finally {
    await fn?.stop();
    await echo?.stop();
    await sink?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
