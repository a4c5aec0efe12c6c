// The gRPC server: FunctionRunnerService/RunFunction on @grpc/grpc-js, with the request decoded by
// wire.ts (the transport hands over raw bytes, so a malformed request becomes INVALID_ARGUMENT here
// rather than an opaque transport error) and the response encoded with the hand-written definitions.
// Every call passes admission.ts's bounds first (RESOURCE_EXHAUSTED beyond them).
import * as grpc from '@grpc/grpc-js';
import { Admission, type Bounds } from './admission';
import { CallProcess, type CallResult } from './call-process';
import type { Logger } from './logger';
import { processCall } from './process-call';
import { fnTypes, SERVICE, SERVICE_V1BETA1 } from './proto';
import { readTlsFiles } from './tls-files';
import { WireError } from './wire';

export interface ServerOptions extends Bounds {
  address: string;
  credentials: grpc.ServerCredentials;
  maxRecvMessageBytes: number;
  ttlMs: number;
  logger: Logger;
  /** Requests of at least this many bytes run in the call process; smaller ones on the main thread. */
  callProcessThresholdBytes: number;
  /** Heap cap of the call process, in MiB. */
  maxCallMemoryMb: number;
  /** The script the call process runs (the bundle itself). */
  callProcessScript: string;
}

const identity = (b: Buffer): Buffer => b;

function serviceDefinition(service: string): grpc.ServiceDefinition {
  return {
    RunFunction: {
      path: `/${service}/RunFunction`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

/**
 * Small calls run on the main thread one at a time, each in its own macrotask: between two of them the
 * transport reads more calls, which are admitted or refused at once instead of waiting unseen in
 * grpc-js's buffers. Large calls go to the call process (call-process.ts).
 */
class MainThreadQueue {
  private readonly jobs: Array<() => void> = [];
  private scheduled = false;
  push(job: () => void): void {
    this.jobs.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }
  private readonly drain = (): void => {
    const job = this.jobs.shift();
    if (job) job();
    if (this.jobs.length > 0) setImmediate(this.drain);
    else this.scheduled = false;
  };
}

function runOnMainThread(request: Buffer, ttlMs: number): CallResult {
  try {
    const out = processCall(request, ttlMs);
    return { ok: true, ...out };
  } catch (e) {
    if (e instanceof WireError) return { ok: false, code: 'INVALID_ARGUMENT', message: e.message };
    const err = e as Error;
    return { ok: false, code: 'INTERNAL', message: `function-security-policy: ${err?.message ?? String(e)}` };
  }
}

/**
 * Counts every call from its headers to its status, and refuses one beyond --max-concurrent-calls
 * before its request body is read (the handler, and the reading, start only after the metadata).
 */
function boundCalls(admission: Admission, logger: Logger): grpc.ServerInterceptor {
  return (_method, call) => {
    let release: (() => void) | undefined;
    const done = () => {
      release?.();
      release = undefined;
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, forward) => {
            const admitted = admission.admitCall();
            if (!admitted.ok) {
              if (logger.debugEnabled) logger.debug('RunFunction refused', { reason: admitted.reason });
              call.sendStatus({ code: grpc.status.RESOURCE_EXHAUSTED, details: admitted.reason, metadata: new grpc.Metadata() });
              return;
            }
            release = admitted.release;
            forward(metadata);
          },
          onCancel: done,
        });
      },
      sendStatus: (status, next) => {
        done();
        next(status);
      },
    });
  };
}

export function runFunctionHandler(opts: Omit<ServerOptions, 'address' | 'credentials' | 'maxRecvMessageBytes'>, admission: Admission): { handler: grpc.handleUnaryCall<Buffer, Buffer>; close: () => void } {
  const { logger } = opts;
  const queue = new MainThreadQueue();
  const callProcess = new CallProcess({ script: opts.callProcessScript, ttlMs: opts.ttlMs, maxCallMemoryMb: opts.maxCallMemoryMb });
  const handler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    const started = process.hrtime.bigint();
    const requestBytes = call.request.length;
    const admitted = admission.admitBytes(requestBytes);
    if (!admitted.ok) {
      if (logger.debugEnabled) logger.debug('RunFunction refused', { requestBytes, reason: admitted.reason });
      callback({ code: grpc.status.RESOURCE_EXHAUSTED, details: admitted.reason });
      return;
    }
    const answer = (result: CallResult) => {
      admitted.release();
      if (result.ok) {
        callback(null, result.response);
        if (logger.debugEnabled) {
          logger.debug('RunFunction', { tag: result.tag, requestBytes, responseBytes: result.response.length, ms: Number(process.hrtime.bigint() - started) / 1e6, ...result.summary });
        }
        return;
      }
      if (result.code === 'INVALID_ARGUMENT') logger.warn('malformed RunFunctionRequest', { error: result.message, requestBytes });
      else logger.error('RunFunction failed', { error: result.message, requestBytes });
      callback({ code: grpc.status[result.code], details: result.message });
    };
    const large = requestBytes >= opts.callProcessThresholdBytes;
    if (logger.debugEnabled) logger.debug('RunFunction admitted', { requestBytes, runsIn: large ? 'call process' : 'main thread', ...admission.inFlight });
    if (large) {
      void callProcess.run(call.request).then(answer);
    } else {
      const request = call.request;
      queue.push(() => answer(runOnMainThread(request, opts.ttlMs)));
    }
  };
  return { handler, close: () => callProcess.close() };
}

export function createServer(opts: ServerOptions): { server: grpc.Server; close: () => void } {
  const admission = new Admission(opts);
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxRecvMessageBytes,
    'grpc.max_send_message_length': -1,
    interceptors: [boundCalls(admission, opts.logger)],
  });
  fnTypes(); // parse the message definitions now, not on the first call
  const { handler, close } = runFunctionHandler(opts, admission);
  server.addService(serviceDefinition(SERVICE), { RunFunction: handler });
  server.addService(serviceDefinition(SERVICE_V1BETA1), { RunFunction: handler });
  return { server, close };
}

/** Binds and starts serving; resolves with the bound port (useful with port 0). */
export function listen(server: grpc.Server, address: string, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/** Mutual TLS from tls.crt, tls.key and ca.crt (checked first): a client certificate signed by ca.crt is required. */
export function mtlsCredentials(dir: string): grpc.ServerCredentials {
  const { ca, cert, key } = readTlsFiles(dir);
  return grpc.ServerCredentials.createSsl(ca, [{ cert_chain: cert, private_key: key }], true);
}
