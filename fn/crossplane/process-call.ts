// One RunFunction call, bytes in, bytes out: decode, run, encode. The same code runs in the server's
// process (small requests) and in the call process (large ones, call-process.ts).
import { encodeRunFunctionResponse } from './encode';
import { runFunction, type RunSummary } from './run-function';
import { REQUIRED_PROJECTION } from './projection';
import { decodeRunFunctionRequest } from './wire';

export interface CallOutput {
  response: Buffer;
  tag: string;
  summary: RunSummary;
}

export function processCall(request: Buffer, ttlMs: number): CallOutput {
  const req = decodeRunFunctionRequest(request, REQUIRED_PROJECTION);
  const { response, summary } = runFunction(req, { ttlMs });
  const bytes = encodeRunFunctionResponse(response);
  return { response: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), tag: req.meta.tag, summary };
}
