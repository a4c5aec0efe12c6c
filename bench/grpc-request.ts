// RunFunctionRequest bytes as Crossplane 2 sends them once the Nodes are known: the observed
// SecurityPolicy XR and every required Node whole (field 8, required_resources). The Nodes are encoded
// one by one (the tests' encoder) so a 15,000-Node request never exists as one protobufjs message.
import { Capability, fnTypes } from '../fn/crossplane/proto';
import { toStruct } from '../fn/crossplane/struct';
import { encodeResourcesEntry, varint } from '../test/crossplane/harness';
import { generateNodes, securityPolicy } from './inputs';

export function runFunctionRequest(nodeCount: number, seed = 21): Buffer {
  const types = fnTypes();
  const xr = securityPolicy({ sources: 5, cidrs: 60, seed });
  delete (xr.metadata as Record<string, unknown>).annotations;
  const head = Buffer.from(types.RunFunctionRequest.encode({
    meta: { tag: 'bench', capabilities: [Capability.CAPABILITIES, Capability.REQUIRED_RESOURCES] },
    observed: { composite: { resource: toStruct(xr) } },
  }).finish());
  return Buffer.concat([head, encodeResourcesEntry(8, 'nodes-cluster-nodes', generateNodes(nodeCount, seed + 1))]);
}

/**
 * The same request whose bulk is data the function passes back untouched: `count` Nodes in `context`
 * (as an earlier pipeline step might leave them), decoded whole and encoded again in the response.
 */
export function passThroughRequest(count: number, seed = 21): Buffer {
  const types = fnTypes();
  const Value = types.root.lookupType('google.protobuf.Value');
  const head = runFunctionRequest(0, seed);
  const values: Buffer[] = [];
  for (const node of generateNodes(count, seed + 2)) {
    const v = Buffer.from(Value.encode({ struct_value: toStruct(node as unknown as Record<string, unknown>) }).finish());
    values.push(Buffer.from([0x0a]), varint(v.length), v); // ListValue.values = 1
  }
  const list = Buffer.concat(values);
  const listValue = Buffer.concat([Buffer.from([0x32]), varint(list.length), list]); // Value.list_value = 6
  const key = Buffer.from('earlier-step/nodes');
  const entry = Buffer.concat([Buffer.from([0x0a]), varint(key.length), key, Buffer.from([0x12]), varint(listValue.length), listValue]);
  const struct = Buffer.concat([Buffer.from([0x0a]), varint(entry.length), entry]); // Struct.fields = 1
  return Buffer.concat([head, Buffer.from([0x2a]), varint(struct.length), struct]); // RunFunctionRequest.context = 5
}
