// Help texts. Kept in one place so that `--help` needs nothing else loaded.
export const MAIN_HELP = `security-policy: manage a Cloud Armor allowlist from a declarative SecurityPolicy

Usage:
  security-policy <command> [flags]

Commands:
  render   SecurityPolicy (+ Node) files in, Config Connector ComputeSecurityPolicy manifests out
  plan     compare what render would produce with the live Cloud Armor policy; rule-by-rule diff
  import   turn an existing Cloud Armor policy into a SecurityPolicy (adopt a hand-made policy)
  nodes    write a Node snapshot (kubectl get nodes output or the live cluster) for kpt and kustomize

Examples:
  security-policy render policy.yaml nodes.yaml
  security-policy render --nodes-from-cluster -o out/ policies/
  kubectl get nodes -o yaml | security-policy render policy.yaml -
  security-policy plan --project my-project --nodes-from-cluster policy.yaml
  security-policy plan --output json policy.yaml nodes.yaml
  security-policy import --project my-project --policy web-allowlist > policy.yaml
  gcloud compute security-policies describe web-allowlist --format json > live.json
  security-policy import --from live.json
  kubectl get nodes -o yaml | security-policy nodes - -o nodes.yaml
  security-policy nodes --nodes-from-cluster --context prod -o nodes.yaml

Run "security-policy <command> --help" for a command's flags, "security-policy --version" for the version.
Exit codes: 0 success (plan: no changes), 1 error, 2 plan: changes pending.
`;

const NODE_FLAGS = `  --nodes-from-cluster   also list the cluster's Nodes through the Kubernetes API (current kubeconfig
                         context, or the in-cluster service account); each nodes entry's selector is
                         applied server-side. Needs RBAC: list nodes (cluster scope)
  --context NAME         kubeconfig context to use with --nodes-from-cluster (default: current context)
  --kubeconfig FILE      kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
  --timeout DURATION     timeout of each API request (at most 1h), e.g. 30s (default), 1m30s; the whole
                         listing stops after 10 x --timeout or 200 pages of 500 Nodes per selector
  A Node both in the input files and in the live cluster is taken from the live cluster (stderr
  names it): a committed snapshot never adds a Node's stale address to its live one.`;

export const RENDER_HELP = `security-policy render: SecurityPolicy files in, Config Connector manifests out

Usage:
  security-policy render [flags] PATH...

PATH is a YAML or JSON file, a directory (read recursively: *.yaml, *.yml, *.json) or - for stdin.
Documents may be SecurityPolicy, Node, NodeList or List objects, or a KRM ResourceList. A
ComputeSecurityPolicy found among the inputs is the previous output (used by whenNoNodes: Keep).

Flags:
  -o, --output DIR       write one file per policy, DIR/<policy name>.yaml (default: YAML on stdout)
  --passthrough          also write every other input object unchanged (what an Argo CD plugin emits);
                         a BackendConfig/GCPBackendPolicy named in spec.attach gets only its security policy set
  --target NAME          configconnector (default): Config Connector ComputeSecurityPolicy;
                         upbound: provider-gcp compute.gcp.m.upbound.io/v1beta1 SecurityPolicy. Same rules
  --provider-config KIND/NAME  with --target upbound: spec.providerConfigRef, e.g. ProviderConfig/gcp
                         or ClusterProviderConfig/default (the project comes from it)
${NODE_FLAGS}
  -h, --help             this help

Warnings go to stderr. Any error (with the field path and the value) prints nothing on stdout and
exits 1.

Examples:
  security-policy render examples/policy.yaml examples/nodes.yaml
  kubectl get nodes -o yaml | security-policy render policy.yaml -
  security-policy render --nodes-from-cluster --context prod -o rendered/ policies/
`;

const COMPUTE_FLAGS = `  --api-endpoint URL     Compute API endpoint (default https://compute.googleapis.com). Credentials are
                         Application Default Credentials; they are never sent to an http:// endpoint
                         (use one only for a local test double)`;

export const PLAN_HELP = `security-policy plan: what render would change in the live Cloud Armor policy

Usage:
  security-policy plan [flags] PATH...

Reads the live policy of each SecurityPolicy (compute.securityPolicies.get, Application Default
Credentials) and prints a rule-by-rule diff: rules added, removed and changed, with the CIDRs added and
removed in each. Rules are matched by priority, then by description (a rule that moved). Warns about
live rules this tool would delete that it did not create (hand-made deny, WAF or rate-limit rules) and
about a change of type (immutable).

Flags:
  --project ID           Google Cloud project (default: spec.policy.projectID, then $GOOGLE_CLOUD_PROJECT,
                         then $CLOUDSDK_CORE_PROJECT)
  --output text|json     text (default; coloured on a terminal unless NO_COLOR is set) or json
  --no-color             plain text even on a terminal
${COMPUTE_FLAGS}
${NODE_FLAGS}
  -h, --help             this help

Exit codes (as terraform plan -detailed-exitcode):
  0  no changes
  1  error (invalid SecurityPolicy, permission denied, API unreachable...)
  2  changes pending; a policy that does not exist yet counts as changes (all its rules to be created)

Examples:
  security-policy plan --project my-project policy.yaml nodes.yaml
  security-policy plan --nodes-from-cluster --output json policies/
`;

export const IMPORT_HELP = `security-policy import: turn an existing Cloud Armor policy into a SecurityPolicy

Usage:
  security-policy import --project ID --policy NAME [flags]
  security-policy import --from FILE [flags]

Sources: the live policy (compute.securityPolicies.get, Application Default Credentials), or FILE: a
Config Connector ComputeSecurityPolicy manifest or the JSON of
"gcloud compute security-policies describe NAME --format json" (- for stdin).

Allow rules that match source IP ranges become sources, named from their descriptions (rules written
by this tool, "name 1/3", fold back into one source); the default rule becomes defaultAction. Every
rule a SecurityPolicy cannot express (deny rules other than the default, expression rules, rate
limits, redirects, preview differences...) is listed with its priority on stderr and as comments in
the output: applying the imported SecurityPolicy would remove those rules.

Flags:
  --project ID           project of the live policy (also becomes spec.policy.projectID)
  --policy NAME          name of the live policy
  --from FILE            read a ComputeSecurityPolicy manifest or gcloud JSON instead of the API
  --name NAME            metadata.name of the SecurityPolicy (default: the policy name)
  --namespace NS         metadata.namespace of the SecurityPolicy (default: the manifest's, else none)
  --api-version GV       apiVersion of the SecurityPolicy (default: security.example.org/v1alpha1)
  -o, --output FILE      write the SecurityPolicy to FILE (default: stdout)
  --timeout DURATION     timeout of the API request (default 30s)
${COMPUTE_FLAGS}
  -h, --help             this help

Examples:
  security-policy import --project my-project --policy web-allowlist > web-allowlist.yaml
  security-policy import --from computesecuritypolicy.yaml -o policy.yaml
  security-policy plan --project my-project web-allowlist.yaml   # expect: no changes
`;

export const NODES_HELP = `security-policy nodes: write a Node snapshot that kpt and kustomize accept

Usage:
  security-policy nodes [flags] FILE...|-
  security-policy nodes [flags] --nodes-from-cluster

Reads the output of "kubectl get nodes -o yaml" (or -o json): a v1 List or NodeList, or Node
documents; - is stdin. Or, with --nodes-from-cluster, lists the live cluster's Nodes. Writes:
  - a NodeSnapshot marker (apiVersion security.example.org/v1alpha1, metadata.name from --name,
    nodeCount: the number of Nodes that follow); alone, it says the cluster has no Nodes;
  - one core v1 Node per document, sorted by name, with only what the function reads: metadata.name,
    metadata.labels, status.addresses and the Ready condition.
Every object is annotated config.kubernetes.io/local-config: "true": kpt reads it as input, kustomize
leaves it out of its output. The output holds no timestamp: the same Nodes give the same bytes.
Objects that are not core v1 Nodes are skipped with a warning; an input with no List, NodeList or
Node at all, a Node without a name or with malformed fields, and a name given twice are errors.

Flags:
  -o, --output FILE      write FILE, whole or not at all (default: stdout)
  --name NAME            metadata.name of the NodeSnapshot marker (default: nodes)
${NODE_FLAGS}
  -h, --help             this help

Examples:
  kubectl get nodes -o yaml > all.yaml && security-policy nodes all.yaml -o nodes.yaml
  kubectl get nodes -o json | security-policy nodes - -o nodes.yaml
  security-policy nodes --nodes-from-cluster --context prod -o nodes.yaml
`;
