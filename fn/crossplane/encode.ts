// Encodes a RunFunctionResponse with the hand-written message definitions (proto.ts).
import { fnTypes } from './proto';
import type { FnResponse } from './run-function';
import { toStruct } from './struct';
import { rawStructOf, type FnResource, type FnState } from './wire';

function resourceMessage(r: FnResource): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  if (r.resource) m.resource = toStruct(r.resource);
  if (Object.keys(r.connection_details).length > 0) m.connection_details = r.connection_details;
  if (r.ready) m.ready = r.ready;
  return m;
}

function stateMessage(s: FnState): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const name of Object.keys(s.resources)) resources[name] = resourceMessage(s.resources[name]!);
  const m: Record<string, unknown> = { resources };
  if (s.composite) m.composite = resourceMessage(s.composite);
  return m;
}

export function encodeRunFunctionResponse(rsp: FnResponse): Uint8Array {
  const msg: Record<string, unknown> = {
    meta: rsp.meta,
    desired: stateMessage(rsp.desired),
    results: rsp.results,
    conditions: rsp.conditions,
  };
  // The request's context, passed back as it came, is written as the bytes it came in (wire.ts).
  const rawContext = rsp.context ? rawStructOf(rsp.context) : undefined;
  if (rsp.context && !rawContext) msg.context = toStruct(rsp.context);
  if (rsp.requirements) msg.requirements = rsp.requirements;
  if (rsp.output) msg.output = toStruct(rsp.output);
  const bytes = fnTypes().RunFunctionResponse.encode(msg).finish();
  if (!rawContext) return bytes;
  // RunFunctionResponse.context = 4, length-delimited; fields may come in any order.
  return Buffer.concat([bytes, Buffer.from([(4 << 3) | 2]), varint(rawContext.length), rawContext]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}
