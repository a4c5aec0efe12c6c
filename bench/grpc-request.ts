// RunFunctionRequest bytes as Crossplane 2 sends them once the Nodes are known: the observed
// SecurityPolicy XR and every required Node whole (field 8, required_resources). Encoded Node by
// Node so a 15,000-Node request never exists as one protobufjs message.
import { Capability, fnTypes } from '../fn/crossplane/proto';
import { toStruct } from '../fn/crossplane/struct';
import { generateNodes, securityPolicy } from './inputs';

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

const field = (no: number, body: Buffer): Buffer => Buffer.concat([varint((no << 3) | 2), varint(body.length), body]);

export function runFunctionRequest(nodeCount: number, seed = 21): Buffer {
  const types = fnTypes();
  const xr = securityPolicy({ sources: 5, cidrs: 60, seed });
  delete (xr.metadata as Record<string, unknown>).annotations;
  const head = Buffer.from(types.RunFunctionRequest.encode({
    meta: { tag: 'bench', capabilities: [Capability.CAPABILITIES, Capability.REQUIRED_RESOURCES] },
    observed: { composite: { resource: toStruct(xr) } },
  }).finish());
  const Resource = types.root.lookupType('apiextensions.fn.proto.v1.Resource');
  const items = generateNodes(nodeCount, seed + 1).map((n) => field(1, Buffer.from(Resource.encode({ resource: toStruct(n as never) }).finish())));
  // map<string, Resources> required_resources = 8: entry { key = 1; value = 2 }, Resources { items = 1 }
  const entry = Buffer.concat([field(1, Buffer.from('nodes-cluster-nodes')), field(2, Buffer.concat(items))]);
  return Buffer.concat([head, field(8, entry)]);
}
