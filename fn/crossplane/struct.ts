// JSON <-> google.protobuf.Struct in the object shape protobufjs encodes and decodes (field names as
// in the .proto, keepCase). Exact both ways: numbers stay numbers (NaN and +-Infinity included), empty
// lists and objects survive, null stays null; `undefined` members are left out, as JSON.stringify would.
import type { Json, JsonObject } from './wire';
import { setOwn } from '../common/own-keys';

export interface PbValue {
  null_value?: number | string;
  number_value?: number;
  string_value?: string;
  bool_value?: boolean;
  struct_value?: PbStruct;
  list_value?: { values?: PbValue[] };
  kind?: string;
}
export interface PbStruct { fields?: Record<string, PbValue> }

export function toValue(v: unknown): PbValue {
  switch (typeof v) {
    case 'string': return { string_value: v };
    // A Value holds any double: NaN and +-Infinity (which JSON cannot) pass through as they came.
    case 'number': return { number_value: v };
    case 'boolean': return { bool_value: v };
    case 'bigint': return { number_value: Number(v) };
    case 'object':
      if (v === null) return { null_value: 0 };
      if (Array.isArray(v)) return { list_value: { values: v.map((x) => toValue(x === undefined ? null : x)) } };
      return { struct_value: toStruct(v as Record<string, unknown>) };
    default:
      throw new TypeError(`cannot encode a ${typeof v} in a google.protobuf.Value`);
  }
}

export function toStruct(obj: Readonly<Record<string, unknown>>): PbStruct {
  const fields: Record<string, PbValue> = {};
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined || typeof v === 'function') continue;
    setOwn(fields, key, toValue(v));
  }
  return { fields };
}

/** A decoded Value (protobufjs message or its toObject() form) back to JSON. */
export function fromValue(v: PbValue | null | undefined): Json {
  if (!v) return null;
  const kind = v.kind ?? (['string_value', 'number_value', 'bool_value', 'struct_value', 'list_value', 'null_value'] as const)
    .find((k) => Object.prototype.hasOwnProperty.call(v, k));
  switch (kind) {
    case 'string_value': return v.string_value ?? '';
    case 'number_value': return v.number_value ?? 0;
    case 'bool_value': return v.bool_value ?? false;
    case 'struct_value': return fromStruct(v.struct_value);
    case 'list_value': return (v.list_value?.values ?? []).map(fromValue);
    default: return null;
  }
}

export function fromStruct(s: PbStruct | null | undefined): JsonObject {
  const out: JsonObject = {};
  const fields = s?.fields ?? {};
  for (const key of Object.keys(fields)) {
    setOwn(out, key, fromValue(fields[key]));
  }
  return out;
}

