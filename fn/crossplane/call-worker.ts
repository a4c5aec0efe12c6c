// Large requests run in a worker thread, one at a time. Decoding a 200 MiB request takes seconds of
// CPU; on the main thread that blocked every other call for as long. In the worker, small calls keep
// being answered, and the worker's heap is capped (--max-call-memory): a request that needs more ends
// the worker with ERR_WORKER_OUT_OF_MEMORY, the call is answered RESOURCE_EXHAUSTED, and the next
// large request gets a fresh worker. The worker runs the same bundle (dist/fn.js), told by workerData.
import { Worker } from 'node:worker_threads';
import { processCall } from './process-call';
import type { RunSummary } from './run-function';
import { WireError } from './wire';

/** workerData of the call worker; fn/main.ts looks for it. */
export const WORKER_ROLE = 'function-security-policy/run-function';

export interface WorkerOptions {
  /** The script the worker runs: the bundle itself. */
  script: string;
  ttlMs: number;
  /** Heap cap of the worker (old generation), in MiB. */
  maxCallMemoryMb: number;
}

export type CallResult =
  | { ok: true; response: Buffer; tag: string; summary: RunSummary }
  | { ok: false; code: 'INVALID_ARGUMENT' | 'RESOURCE_EXHAUSTED' | 'INTERNAL'; message: string };

interface Job { request: Buffer; resolve: (r: CallResult) => void }

type FromWorker =
  | { ok: true; response: Uint8Array; tag: string; summary: RunSummary }
  | { ok: false; wire: boolean; message: string };

/** The main thread's side: a queue in front of one lazily started worker. */
export class CallWorker {
  private worker: Worker | undefined;
  private current: Job | undefined;
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(private readonly opts: WorkerOptions) {}

  run(request: Buffer): Promise<CallResult> {
    return new Promise((resolve) => {
      this.queue.push({ request, resolve });
      this.next();
    });
  }

  /** Stops the worker; queued calls are answered INTERNAL (only used at shutdown). */
  close(): void {
    this.closed = true;
    void this.worker?.terminate();
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, code: 'INTERNAL', message: 'function-security-policy is shutting down' });
  }

  private next(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    const worker = this.worker ?? this.start();
    const { request } = job;
    // Hand the bytes over without a copy when the request owns its whole ArrayBuffer (grpc-js
    // concatenates a large message into one allocation); otherwise a copy.
    const ab = request.buffer;
    const owns = ab instanceof ArrayBuffer && request.byteOffset + request.byteLength === ab.byteLength && request.byteOffset <= 16;
    try {
      if (owns) worker.postMessage({ buffer: ab, offset: request.byteOffset, length: request.byteLength }, [ab]);
      else worker.postMessage({ buffer: request.buffer.slice(request.byteOffset, request.byteOffset + request.byteLength), offset: 0, length: request.byteLength });
    } catch {
      const copy = new Uint8Array(request.byteLength);
      copy.set(request);
      worker.postMessage({ buffer: copy.buffer, offset: 0, length: copy.byteLength }, [copy.buffer]);
    }
  }

  private finish(result: CallResult): void {
    const job = this.current;
    this.current = undefined;
    job?.resolve(result);
    this.next();
  }

  private start(): Worker {
    const worker = new Worker(this.opts.script, {
      workerData: { role: WORKER_ROLE, ttlMs: this.opts.ttlMs },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxCallMemoryMb },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if (m.ok) this.finish({ ok: true, response: Buffer.from(m.response.buffer, m.response.byteOffset, m.response.byteLength), tag: m.tag, summary: m.summary });
      else this.finish({ ok: false, code: m.wire ? 'INVALID_ARGUMENT' : 'INTERNAL', message: m.message });
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (this.worker === worker) this.worker = undefined;
      const size = this.current ? this.current.request.byteLength : 0;
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.finish({ ok: false, code: 'RESOURCE_EXHAUSTED', message: `function-security-policy: answering this ${(size / 2 ** 20).toFixed(0)} MiB request needs more than the ${this.opts.maxCallMemoryMb} MiB a call may use (--max-call-memory)` });
      } else {
        this.finish({ ok: false, code: 'INTERNAL', message: `function-security-policy: the call worker failed: ${e.message}` });
      }
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.current) this.finish({ ok: false, code: 'INTERNAL', message: 'function-security-policy: the call worker stopped unexpectedly' });
    });
    this.worker = worker;
    return worker;
  }
}

/** The worker thread's side: answers each request message with the response bytes. */
export function workerMain(port: import('node:worker_threads').MessagePort, ttlMs: number): void {
  port.on('message', (m: { buffer: ArrayBuffer; offset: number; length: number }) => {
    let reply: FromWorker;
    const transfer: ArrayBuffer[] = [];
    try {
      const out = processCall(Buffer.from(m.buffer, m.offset, m.length), ttlMs);
      const r = out.response;
      const whole = r.byteOffset === 0 && r.byteLength === r.buffer.byteLength && r.buffer instanceof ArrayBuffer;
      const own = whole ? new Uint8Array(r.buffer, 0, r.byteLength) : Uint8Array.from(r);
      transfer.push(own.buffer as ArrayBuffer);
      reply = { ok: true, response: own, tag: out.tag, summary: out.summary };
    } catch (e) {
      reply = { ok: false, wire: e instanceof WireError, message: e instanceof WireError ? e.message : `function-security-policy: ${(e as Error)?.message ?? String(e)}` };
    }
    port.postMessage(reply, transfer);
  });
}
