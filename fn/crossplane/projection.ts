// What the server decodes of required resources: the Node fields the core reads (NODE_PROJECTION),
// and what the operation function (operation.ts) reads of its watched Node and of SecurityPolicy XRs:
// metadata.namespace/uid/resourceVersion/deletionTimestamp, spec.nodes and status.nodes. A Node has
// no spec.nodes or status.nodes, so the union costs Node decoding next to nothing (an empty `spec`).
import { NODE_PROJECTION, type Projection } from './wire';

const nodeStatus = NODE_PROJECTION.status as Projection;

export const REQUIRED_PROJECTION: Projection = {
  ...NODE_PROJECTION,
  metadata: { ...(NODE_PROJECTION.metadata as Projection), namespace: true, uid: true, resourceVersion: true, deletionTimestamp: true },
  spec: { nodes: true },
  status: { ...nodeStatus, nodes: true },
};
