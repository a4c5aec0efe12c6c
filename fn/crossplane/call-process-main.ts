// The call process's side (call-process.ts starts it; fn/main.ts runs this when CALL_PROCESS_ROLE_ENV
// is set): reads request frames from stdin, answers each with one frame on stdout, one at a time.
// Nothing else may write to stdout. It exits when stdin ends, that is when the server goes.
import { FrameKind, FrameReader, frameHeader, MAX_FRAME_BYTES, responseBody } from './frames';
import { processCall } from './process-call';
import { WireError } from './wire';

function reply(kind: FrameKind, parts: Buffer[]): void {
  const length = parts.reduce((n, p) => n + p.length, 0);
  process.stdout.write(frameHeader(kind, length));
  for (const p of parts) process.stdout.write(p);
}

function answer(request: Buffer, ttlMs: number): void {
  let parts: Buffer[];
  try {
    const out = processCall(request, ttlMs);
    parts = responseBody({ tag: out.tag, summary: out.summary }, out.response);
    if (parts.reduce((n, p) => n + p.length, 0) > MAX_FRAME_BYTES) throw new Error(`the response (${out.response.length} bytes) is larger than a call may answer`);
  } catch (e) {
    const wire = e instanceof WireError;
    const message = wire ? e.message : `function-security-policy: ${(e as Error)?.message ?? String(e)}`;
    reply(wire ? FrameKind.WIRE_ERROR : FrameKind.FAILED, [Buffer.from(message, 'utf8')]);
    return;
  }
  reply(FrameKind.RESPONSE, parts);
}

export function callProcessMain(ttlMs: number): void {
  const reader = new FrameReader((kind, body) => {
    if (kind === FrameKind.REQUEST) answer(body, ttlMs);
    else reply(FrameKind.FAILED, [Buffer.from(`function-security-policy: the call process got a frame of unknown kind ${kind}`, 'utf8')]);
  });
  process.stdin.on('data', (chunk: Buffer) => reader.push(chunk));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
}
