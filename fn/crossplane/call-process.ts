// Large requests run in a child process, one at a time. Decoding a 200 MiB request takes seconds of
// CPU; on the main thread that blocked every other call for as long. In the child, small calls keep
// being answered on the main thread, and the child's heap is capped (--max-call-memory): a request
// that needs more ends the child, the call is answered RESOURCE_EXHAUSTED, and the next large request
// gets a fresh child. A child process rather than a worker thread: on Node 24 a worker reaching its
// heap limit can abort the whole process (the server with it) instead of ending the worker alone.
// The child runs the same bundle (dist/fn.js; the image has only /fn.js and node), told by its
// environment (CALL_PROCESS_ROLE_ENV, see fn/main.ts), and talks frames.ts over its stdin and stdout.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { FrameKind, FrameReader, frameHeader, parseResponseBody } from './frames';
import type { RunSummary } from './run-function';

/** Environment variable that makes fn.js the call process; its value is the responses' TTL in ms. */
export const CALL_PROCESS_ROLE_ENV = 'FUNCTION_SECURITY_POLICY_CALL_PROCESS_TTL_MS';

export interface CallProcessOptions {
  /** The script the child runs: the bundle itself. */
  script: string;
  ttlMs: number;
  /** Heap cap of the child (old generation, --max-old-space-size), in MiB. */
  maxCallMemoryMb: number;
}

export type CallResult =
  | { ok: true; response: Buffer; tag: string; summary: RunSummary }
  | { ok: false; code: 'INVALID_ARGUMENT' | 'RESOURCE_EXHAUSTED' | 'INTERNAL'; message: string };

interface Job { request: Buffer; resolve: (r: CallResult) => void }

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

/** How much of the child's stderr is kept to tell why it died. */
const STDERR_TAIL_BYTES = 16 * 1024;

/** What V8 prints when a heap reaches its limit ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"). */
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed/i;

/** The server's side: a queue in front of one lazily started child process. */
export class CallProcess {
  private child: Child | undefined;
  private current: Job | undefined;
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(private readonly opts: CallProcessOptions) {}

  run(request: Buffer): Promise<CallResult> {
    return new Promise((resolve) => {
      this.queue.push({ request, resolve });
      this.next();
    });
  }

  /** Stops the child; queued calls are answered INTERNAL (only used at shutdown). */
  close(): void {
    this.closed = true;
    const child = this.child;
    this.child = undefined;
    if (child) {
      child.stdin.destroy();
      child.kill('SIGTERM');
    }
    const stopping: CallResult = { ok: false, code: 'INTERNAL', message: 'function-security-policy is shutting down' };
    if (this.current) this.finish(stopping);
    for (const job of this.queue.splice(0)) job.resolve(stopping);
  }

  private next(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    const child = this.child ?? this.start();
    this.hold(child, true);
    // Two writes, no copy of the request in this process: the pipe takes the bytes as they are.
    child.stdin.write(frameHeader(FrameKind.REQUEST, job.request.length));
    child.stdin.write(job.request);
  }

  private finish(result: CallResult): void {
    const job = this.current;
    this.current = undefined;
    if (this.child) this.hold(this.child, false);
    job?.resolve(result);
    this.next();
  }

  private start(): Child {
    // The parent's runtime flags (a loader such as tsx when run from source) minus a debugger port and
    // a heap size of its own; the child's heap cap comes last, so it is the one that holds.
    const execArgv = process.execArgv.filter((a) => !/^--(inspect|max-old-space-size)/.test(a));
    const child = spawn(process.execPath, [...execArgv, `--max-old-space-size=${this.opts.maxCallMemoryMb}`, this.opts.script], {
      env: { [CALL_PROCESS_ROLE_ENV]: String(this.opts.ttlMs) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderrTail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-STDERR_TAIL_BYTES);
    });
    // A write after the child died fails with EPIPE; the 'close' below answers the call.
    child.stdin.on('error', () => {});
    const reader = new FrameReader((kind, body) => {
      if (this.child !== child) return;
      if (kind === FrameKind.RESPONSE) {
        const { meta, response } = parseResponseBody(body);
        const { tag, summary } = meta as { tag: string; summary: RunSummary };
        this.finish({ ok: true, response, tag, summary });
      } else {
        this.finish({ ok: false, code: kind === FrameKind.WIRE_ERROR ? 'INVALID_ARGUMENT' : 'INTERNAL', message: body.toString('utf8') });
      }
    });
    child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    child.on('error', (e) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.current) this.finish({ ok: false, code: 'INTERNAL', message: `function-security-policy: cannot start the call process: ${e.message}` });
    });
    // 'close' comes once the child has exited and its stderr is read to the end.
    child.on('close', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (!this.current) return;
      this.finish(this.death(code, signal, stderrTail));
    });
    this.child = child;
    return child;
  }

  /** An idle child does not keep the event loop alive (the gRPC server does); one holding a call does. */
  private hold(child: Child, busy: boolean): void {
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as Array<{ ref?: () => void; unref?: () => void }>) {
      if (busy) handle.ref?.();
      else handle.unref?.();
    }
  }

  /** Why the child died while it held a call: out of memory (its heap cap) or anything else. */
  private death(code: number | null, signal: NodeJS.Signals | null, stderr: string): CallResult {
    const size = this.current ? this.current.request.byteLength : 0;
    if (OUT_OF_MEMORY.test(stderr) || signal === 'SIGABRT') {
      return { ok: false, code: 'RESOURCE_EXHAUSTED', message: `function-security-policy: answering this ${(size / 2 ** 20).toFixed(0)} MiB request needs more than the ${this.opts.maxCallMemoryMb} MiB a call may use (--max-call-memory)` };
    }
    const last = stderr.trim().split('\n').pop()?.slice(0, 200);
    return { ok: false, code: 'INTERNAL', message: `function-security-policy: the call process stopped unexpectedly (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}` };
  }
}
