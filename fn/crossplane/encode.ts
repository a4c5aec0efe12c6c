// Encodes a RunFunctionResponse with the hand-written message definitions (proto.ts).
import { fnTypes } from './proto';
import type { FnResponse } from './run-function';
import { toStruct } from './struct';
import type { FnResource, FnState } from './wire';

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
  if (rsp.context) msg.context = toStruct(rsp.context);
  if (rsp.requirements) msg.requirements = rsp.requirements;
  if (rsp.output) msg.output = toStruct(rsp.output);
  return fnTypes().RunFunctionResponse.encode(msg).finish();
}
