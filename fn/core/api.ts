// The names that say which objects are this project's. One place, so every adapter (KRM, Crossplane,
// CLI) and every generated file agree on them.

/** The project's API group. KRM items and CLI files of `kind: SecurityPolicy` are ours only in this
 * group: other projects' SecurityPolicy kinds (Envoy Gateway's gateway.envoyproxy.io, for one) pass
 * through untouched. Under Crossplane the observed composite is ours whatever its group (the platform
 * team's XRD names it), and under KRM so is the functionConfig. */
export const API_GROUP = 'security.example.org';
export const API_VERSION = `${API_GROUP}/v1alpha1`;

/**
 * An explicit Node snapshot marker, written by `security-policy nodes` beside the Nodes it snapshots
 * (and alone when the cluster has no Node at all):
 *
 *   apiVersion: security.example.org/v1alpha1
 *   kind: NodeSnapshot
 *   metadata:
 *     name: nodes
 *     annotations: {config.kubernetes.io/local-config: "true"}
 *   nodeCount: 0
 *
 * Without Node objects among the inputs, `spec.nodes` is an error unless such a marker says the cluster
 * really has zero Nodes: a package that lost its snapshot must not shrink the allowlist silently.
 */
export const NODE_SNAPSHOT_KIND = 'NodeSnapshot';

/** The Crossplane function input (a Composition step's `input`) and the KRM functionConfig options. */
export const INPUT_KIND = 'Input';
