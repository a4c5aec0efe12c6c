// The gRPC server: FunctionRunnerService/RunFunction on @grpc/grpc-js, with the request decoded by
// wire.ts (the transport hands over raw bytes, so a malformed request becomes INVALID_ARGUMENT here
// rather than an opaque transport error) and the response encoded with the hand-written definitions.
import * as grpc from '@grpc/grpc-js';
import { encodeRunFunctionResponse } from './encode';
import type { Logger } from './logger';
import { fnTypes, SERVICE, SERVICE_V1BETA1 } from './proto';
import { runFunction } from './run-function';
import { REQUIRED_PROJECTION } from './projection';
import { readTlsFiles } from './tls-files';
import { decodeRunFunctionRequest, WireError } from './wire';

export interface ServerOptions {
  address: string;
  credentials: grpc.ServerCredentials;
  maxRecvMessageBytes: number;
  ttlMs: number;
  logger: Logger;
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

export function runFunctionHandler(opts: Pick<ServerOptions, 'ttlMs' | 'logger'>): grpc.handleUnaryCall<Buffer, Buffer> {
  const { logger } = opts;
  return (call, callback) => {
    const started = process.hrtime.bigint();
    try {
      const req = decodeRunFunctionRequest(call.request, REQUIRED_PROJECTION);
      const { response, summary } = runFunction(req, { ttlMs: opts.ttlMs });
      const bytes = encodeRunFunctionResponse(response);
      callback(null, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (logger.debugEnabled) {
        logger.debug('RunFunction', {
          tag: req.meta.tag,
          requestBytes: call.request.length,
          responseBytes: bytes.byteLength,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          ...summary,
        });
      }
    } catch (e) {
      const err = e as Error;
      if (e instanceof WireError) {
        logger.warn('malformed RunFunctionRequest', { error: err.message, requestBytes: call.request?.length });
        callback({ code: grpc.status.INVALID_ARGUMENT, details: err.message });
      } else {
        logger.error('RunFunction failed', { error: err?.message ?? String(e), stack: err?.stack });
        callback({ code: grpc.status.INTERNAL, details: `function-security-policy: ${err?.message ?? String(e)}` });
      }
    }
  };
}

export function createServer(opts: ServerOptions): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxRecvMessageBytes,
    'grpc.max_send_message_length': -1,
  });
  fnTypes(); // parse the message definitions now, not on the first call
  const handler = runFunctionHandler(opts);
  server.addService(serviceDefinition(SERVICE), { RunFunction: handler });
  server.addService(serviceDefinition(SERVICE_V1BETA1), { RunFunction: handler });
  return server;
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
