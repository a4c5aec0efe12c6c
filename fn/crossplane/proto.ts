// The subset of Crossplane's RunFunction protocol (package apiextensions.fn.proto.v1) this function
// speaks, written out by hand with the upstream field numbers, and the google.protobuf types it uses.
// Embedded as text so the bundle reads no file at run time.
//
// Generations: Crossplane 1 asks through `Requirements.extra_resources` (1) and answers in
// `RunFunctionRequest.extra_resources` (6). Crossplane 2 deprecates both and adds
// `Requirements.resources` (2) and `RunFunctionRequest.required_resources` (8), while still honouring
// the old pair. Both are declared here; see requirements.ts for which one the function uses.
import * as protobuf from 'protobufjs';
import { MAX_NESTING } from './limits';

export const PACKAGE = 'apiextensions.fn.proto.v1';
export const SERVICE = `${PACKAGE}.FunctionRunnerService`;
/** Crossplane 1.14-1.16 called the same service, with the same messages, under v1beta1. */
export const SERVICE_V1BETA1 = 'apiextensions.fn.proto.v1beta1.FunctionRunnerService';

const GOOGLE = `
syntax = "proto3";
package google.protobuf;
message Struct { map<string, Value> fields = 1; }
message Value {
  oneof kind {
    NullValue null_value = 1;
    double number_value = 2;
    string string_value = 3;
    bool bool_value = 4;
    Struct struct_value = 5;
    ListValue list_value = 6;
  }
}
enum NullValue { NULL_VALUE = 0; }
message ListValue { repeated Value values = 1; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
`;

const FN = `
syntax = "proto3";
package apiextensions.fn.proto.v1;

service FunctionRunnerService {
  rpc RunFunction(RunFunctionRequest) returns (RunFunctionResponse) {}
}

message RunFunctionRequest {
  RequestMeta meta = 1;
  State observed = 2;
  State desired = 3;
  optional google.protobuf.Struct input = 4;
  optional google.protobuf.Struct context = 5;
  map<string, Resources> extra_resources = 6;
  map<string, Credentials> credentials = 7;
  map<string, Resources> required_resources = 8;
}

message Credentials { oneof source { CredentialData credential_data = 1; } }
message CredentialData { map<string, bytes> data = 1; }
message Resources { repeated Resource items = 1; }

message RunFunctionResponse {
  ResponseMeta meta = 1;
  State desired = 2;
  repeated Result results = 3;
  optional google.protobuf.Struct context = 4;
  Requirements requirements = 5;
  repeated Condition conditions = 6;
  optional google.protobuf.Struct output = 7;
}

message RequestMeta {
  string tag = 1;
  repeated Capability capabilities = 2;
}

enum Capability {
  CAPABILITY_UNSPECIFIED = 0;
  CAPABILITY_CAPABILITIES = 1;
  CAPABILITY_REQUIRED_RESOURCES = 2;
  CAPABILITY_CREDENTIALS = 3;
  CAPABILITY_CONDITIONS = 4;
  CAPABILITY_REQUIRED_SCHEMAS = 5;
}

message Requirements {
  map<string, ResourceSelector> extra_resources = 1;
  map<string, ResourceSelector> resources = 2;
}

message ResourceSelector {
  string api_version = 1;
  string kind = 2;
  oneof match {
    string match_name = 3;
    MatchLabels match_labels = 4;
  }
  optional string namespace = 5;
}

message MatchLabels { map<string, string> labels = 1; }

message ResponseMeta {
  string tag = 1;
  optional google.protobuf.Duration ttl = 2;
}

message State {
  Resource composite = 1;
  map<string, Resource> resources = 2;
}

message Resource {
  google.protobuf.Struct resource = 1;
  map<string, bytes> connection_details = 2;
  Ready ready = 3;
}

enum Ready { READY_UNSPECIFIED = 0; READY_TRUE = 1; READY_FALSE = 2; }

message Result {
  Severity severity = 1;
  string message = 2;
  optional string reason = 3;
  optional Target target = 4;
}

enum Severity { SEVERITY_UNSPECIFIED = 0; SEVERITY_FATAL = 1; SEVERITY_WARNING = 2; SEVERITY_NORMAL = 3; }
enum Target { TARGET_UNSPECIFIED = 0; TARGET_COMPOSITE = 1; TARGET_COMPOSITE_AND_CLAIM = 2; }

message Condition {
  string type = 1;
  Status status = 2;
  string reason = 3;
  optional string message = 4;
  optional Target target = 5;
}

enum Status {
  STATUS_CONDITION_UNSPECIFIED = 0;
  STATUS_CONDITION_UNKNOWN = 1;
  STATUS_CONDITION_TRUE = 2;
  STATUS_CONDITION_FALSE = 3;
}
`;

export const Ready = { UNSPECIFIED: 0, TRUE: 1, FALSE: 2 } as const;
export const Severity = { UNSPECIFIED: 0, FATAL: 1, WARNING: 2, NORMAL: 3 } as const;
export const ConditionStatus = { UNSPECIFIED: 0, UNKNOWN: 1, TRUE: 2, FALSE: 3 } as const;
export const Capability = { UNSPECIFIED: 0, CAPABILITIES: 1, REQUIRED_RESOURCES: 2, CREDENTIALS: 3, CONDITIONS: 4 } as const;

export interface FnTypes {
  root: protobuf.Root;
  RunFunctionRequest: protobuf.Type;
  RunFunctionResponse: protobuf.Type;
}

let types: FnTypes | undefined;

/** The message types, parsed once on first use. */
export function fnTypes(): FnTypes {
  if (types) return types;
  // protobufjs stops at 100 nested messages, and each JSON level of a Struct is two (Struct, Value),
  // under up to four more (response, State, Resource): a context 50 objects deep failed to encode.
  // Allow everything the decoder accepts (wire.ts MAX_NESTING), with room to spare.
  const limit = 2 * MAX_NESTING + 16;
  if (protobuf.util.recursionLimit < limit) protobuf.util.recursionLimit = limit;
  if (protobuf.Reader.recursionLimit < limit) protobuf.Reader.recursionLimit = limit;
  const root = new protobuf.Root();
  protobuf.parse(GOOGLE, root, { keepCase: true });
  protobuf.parse(FN, root, { keepCase: true });
  root.resolveAll();
  types = {
    root,
    RunFunctionRequest: root.lookupType(`${PACKAGE}.RunFunctionRequest`),
    RunFunctionResponse: root.lookupType(`${PACKAGE}.RunFunctionResponse`),
  };
  return types;
}
