// RunFunctionRequest bytes as Crossplane 2 sends them once the Nodes are known: the observed
// SecurityPolicy XR and every required Node whole (field 8, required_resources). The Nodes are encoded
// one by one (the tests' encoder) so a 15,000-Node request never exists as one protobufjs message.
import { Capability, fnTypes } from '../fn/crossplane/proto';
import { toStruct } from '../fn/crossplane/struct';
import { encodeResourcesEntry } from '../test/crossplane/harness';
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
