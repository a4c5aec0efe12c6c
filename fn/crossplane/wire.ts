// Decodes a RunFunctionRequest straight from protobuf wire bytes into plain JSON values.
//
// Crossplane sends every required Node whole (status and image lists included), so the request is
// mostly google.protobuf.Struct and can reach hundreds of MB. Decoding it with a generic decoder
// first builds a message object per Struct, Value and ListValue and then a second, JSON copy; this
// reader builds the JSON directly, in one pass, and skips the fields the function never reads.
// Struct semantics are exact: numbers stay numbers (an integral double is a JS integer, which
// JSON.stringify prints without a fraction), empty lists and objects survive, null stays null.
//
// Malformed input throws WireError; the server turns that into INVALID_ARGUMENT.
import { MAX_NESTING } from './limits';
import { setOwn } from '../common/own-keys';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject { [key: string]: Json }

export interface FnResource {
  resource?: JsonObject;
  connection_details: Record<string, Buffer>;
  ready: number;
}

export interface FnState {
  composite?: FnResource;
  resources: Record<string, FnResource>;
}

export interface FnRequest {
  meta: { tag: string; capabilities: number[] };
  observed?: FnState;
  desired?: FnState;
  input?: JsonObject;
  context?: JsonObject;
  /** Crossplane 1 (and 2, for functions that ask the old way): field 6. */
  extra_resources: Record<string, FnResource[]>;
  /** Crossplane 2: field 8. */
  required_resources: Record<string, FnResource[]>;
}

export class WireError extends Error {
  override name = 'WireError';
}

// Struct and ListValue nesting, in JSON levels (objects and lists; proto.ts lets the encoder go as deep).
// Kubernetes objects are far shallower; the decoder recurses, so the bound also keeps the stack safe.
// Each JSON level is two calls here (struct or list, then valueOf), hence the factor 2.
const MAX_DEPTH = 2 * (MAX_NESTING - 1);
/** The request field being decoded, for messages. */
let section = 'request';

let buf: Buffer = Buffer.alloc(0);
let pos = 0;

function fail(what: string): never {
  throw new WireError(`malformed RunFunctionRequest: ${what} at byte ${pos}`);
}

function tooDeep(): never {
  throw new WireError(`RunFunctionRequest ${section}: a Struct value nested more than ${MAX_NESTING} levels deep (objects and lists), at byte ${pos}`);
}

function varint(): number {
  // Tags, lengths and enums. Values above 2^32 are only legal for int64 enums (negative numbers);
  // they are consumed and truncated to 32 bits, like protobuf does for enums.
  let b = buf[pos++]!;
  if (b < 0x80) return b;
  let v = b & 0x7f;
  b = buf[pos++]!; v |= (b & 0x7f) << 7; if (b < 0x80) return v;
  b = buf[pos++]!; v |= (b & 0x7f) << 14; if (b < 0x80) return v;
  b = buf[pos++]!; v |= (b & 0x7f) << 21; if (b < 0x80) return v;
  b = buf[pos++]!; v = (v | ((b & 0x0f) << 28)) >>> 0; if (b < 0x80) return v;
  for (let i = 0; i < 5; i++) {
    if (pos >= buf.length) fail('truncated varint');
    if (buf[pos++]! < 0x80) return v;
  }
  return fail('varint longer than 10 bytes');
}

/** Reads a length prefix and returns where that field ends. */
function lengthEnd(limit: number): number {
  const len = varint();
  const end = pos + len;
  if (pos > limit || end > limit) fail('length runs past the end of its message');
  return end;
}

function skip(wireType: number, limit: number): void {
  switch (wireType) {
    case 0: varint(); break;
    case 1: pos += 8; break;
    case 2: pos = lengthEnd(limit); break;
    case 5: pos += 4; break;
    default: fail(`unsupported wire type ${wireType}`);
  }
  if (pos > limit) fail('field runs past the end of its message');
}

// Buffer#utf8Slice is what toString('utf8', ...) calls after checking its arguments.
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (s: number, e: number) => string }).utf8Slice;

function string(limit: number): string {
  const end = lengthEnd(limit);
  const start = pos;
  pos = end;
  return utf8Slice ? utf8Slice.call(buf, start, end) : buf.toString('utf8', start, end);
}

function bytes(limit: number): Buffer {
  const end = lengthEnd(limit);
  // A copy: the request buffer may be pooled by the transport.
  const b = Buffer.from(buf.subarray(pos, end));
  pos = end;
  return b;
}

/**
 * Which members of a Struct to decode: `true` keeps a member whole, a nested Projection keeps part
 * of an object member (or of each object in a list member), a member not named is skipped without
 * being decoded.
 */
export interface Projection { [key: string]: Projection | true }

/**
 * The parts of a Node the core reads (NodeLike in fn/core/nodes.ts). Required Nodes are decoded
 * through it: status.images, capacity, nodeInfo and managedFields, most of each Node's bytes, are
 * skipped instead of becoming JavaScript objects nobody reads.
 */
export const NODE_PROJECTION: Projection = {
  apiVersion: true,
  kind: true,
  metadata: { name: true, labels: true },
  status: { addresses: true, conditions: { type: true, status: true } },
};

// google.protobuf.Struct { map<string, Value> fields = 1; }
function struct(end: number, depth: number, into?: JsonObject, projection?: Projection): JsonObject {
  if (depth > MAX_DEPTH) tooDeep();
  const obj: JsonObject = into ?? {};
  while (pos < end) {
    const tag = varint();
    if (tag !== 10) { skip(tag & 7, end); continue; }
    const entryEnd = lengthEnd(end);
    let key = '';
    let keySeen = false;
    let value: Json = null;
    let keep = true;
    while (pos < entryEnd) {
      const t = varint();
      if (t === 10) {
        key = string(entryEnd);
        keySeen = true;
      } else if (t === 18) {
        const valueEnd = lengthEnd(entryEnd);
        // Projection applies when the key came first (as every encoder writes map entries);
        // otherwise the value is decoded whole, which is never wrong, only slower.
        const sub = projection && keySeen ? (Object.hasOwn(projection, key) ? projection[key] : undefined) : true;
        if (sub === undefined) {
          pos = valueEnd;
          keep = false;
        } else {
          value = valueOf(valueEnd, depth + 1, sub === true ? undefined : sub);
          keep = true;
        }
      } else skip(t & 7, entryEnd);
    }
    if (pos !== entryEnd) fail('map entry overruns');
    if (projection && keySeen && !Object.hasOwn(projection, key)) keep = false;
    if (keep) setOwn(obj, key, value);
  }
  if (pos !== end) fail('Struct overruns');
  return obj;
}

// google.protobuf.Value { oneof kind { null_value = 1; number_value = 2; string_value = 3;
//                                     bool_value = 4; struct_value = 5; list_value = 6; } }
function valueOf(end: number, depth: number, projection?: Projection): Json {
  let v: Json = null;
  while (pos < end) {
    const tag = varint();
    switch (tag) {
      case 26: v = string(end); break;
      case 17:
        if (pos + 8 > end) fail('truncated double');
        v = buf.readDoubleLE(pos);
        pos += 8;
        break;
      case 42: v = struct(lengthEnd(end), depth + 1, undefined, projection); break;
      case 50: v = list(lengthEnd(end), depth + 1, projection); break;
      case 32: v = varint() !== 0; break;
      case 8: varint(); v = null; break;
      default: skip(tag & 7, end);
    }
  }
  if (pos !== end) fail('Value overruns');
  return v;
}

// google.protobuf.ListValue { repeated Value values = 1; }
function list(end: number, depth: number, projection?: Projection): Json[] {
  if (depth > MAX_DEPTH) tooDeep();
  const out: Json[] = [];
  while (pos < end) {
    const tag = varint();
    if (tag === 10) out.push(valueOf(lengthEnd(end), depth + 1, projection));
    else skip(tag & 7, end);
  }
  if (pos !== end) fail('ListValue overruns');
  return out;
}

// Resource { Struct resource = 1; map<string, bytes> connection_details = 2; Ready ready = 3; }
function resource(end: number, into?: FnResource, projection?: Projection): FnResource {
  const r: FnResource = into ?? { connection_details: {}, ready: 0 };
  while (pos < end) {
    const tag = varint();
    if (tag === 10) r.resource = struct(lengthEnd(end), 0, r.resource, projection);
    else if (tag === 18) {
      const entryEnd = lengthEnd(end);
      let key = '';
      let value: Buffer = Buffer.alloc(0);
      while (pos < entryEnd) {
        const t = varint();
        if (t === 10) key = string(entryEnd);
        else if (t === 18) value = bytes(entryEnd);
        else skip(t & 7, entryEnd);
      }
      setOwn(r.connection_details, key, value);
    } else if (tag === 24) r.ready = varint();
    else skip(tag & 7, end);
  }
  if (pos !== end) fail('Resource overruns');
  return r;
}

// State { Resource composite = 1; map<string, Resource> resources = 2; }
function state(end: number, into?: FnState): FnState {
  const s: FnState = into ?? { resources: {} };
  const base = section;
  while (pos < end) {
    const tag = varint();
    if (tag === 10) {
      section = `${base}.composite`;
      s.composite = resource(lengthEnd(end), s.composite);
    } else if (tag === 18) {
      section = `${base}.resources`;
      const entryEnd = lengthEnd(end);
      let key = '';
      let value: FnResource | undefined;
      while (pos < entryEnd) {
        const t = varint();
        if (t === 10) {
          key = string(entryEnd);
          section = `${base}.resources[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}...` : key)}]`;
        } else if (t === 18) value = resource(lengthEnd(entryEnd), value);
        else skip(t & 7, entryEnd);
      }
      setOwn(s.resources, key, value ?? { connection_details: {}, ready: 0 });
    } else skip(tag & 7, end);
  }
  if (pos !== end) fail('State overruns');
  return s;
}

// map<string, Resources> entry, Resources { repeated Resource items = 1; }
function resourcesEntry(end: number, into: Record<string, FnResource[]>, projection?: Projection): void {
  let key = '';
  const items: FnResource[] = [];
  while (pos < end) {
    const t = varint();
    if (t === 10) key = string(end);
    else if (t === 18) {
      const resourcesEnd = lengthEnd(end);
      while (pos < resourcesEnd) {
        const tag = varint();
        if (tag === 10) items.push(resource(lengthEnd(resourcesEnd), undefined, projection));
        else skip(tag & 7, resourcesEnd);
      }
    } else skip(t & 7, end);
  }
  setOwn(into, key, items);
}

// RequestMeta { string tag = 1; repeated Capability capabilities = 2; }
function meta(end: number, into: FnRequest['meta']): void {
  while (pos < end) {
    const tag = varint();
    if (tag === 10) into.tag = string(end);
    else if (tag === 16) into.capabilities.push(varint());
    else if (tag === 18) { // packed
      const packedEnd = lengthEnd(end);
      while (pos < packedEnd) into.capabilities.push(varint());
    } else skip(tag & 7, end);
  }
}

/**
 * The wire bytes a decoded Struct came from, for the request's `context`: the function passes it back
 * untouched, and writing those bytes again costs a copy instead of a Struct encoding (which took twice
 * as long as decoding, and its memory, for a large context). Valid while the object is not modified;
 * nothing modifies the context. Several occurrences of the field are concatenated, which protobuf
 * merges exactly as the decoder did (a later map entry wins).
 */
const rawStructs = new WeakMap<JsonObject, Buffer>();

/** The wire bytes of a Struct decoded from the request's context, when `obj` is that very object. */
export function rawStructOf(obj: JsonObject): Buffer | undefined {
  return rawStructs.get(obj);
}

/**
 * Decodes one RunFunctionRequest. Required resources (fields 6 and 8) go through `requiredProjection`
 * when given; everything else (observed and desired state, context) is decoded whole, since it is
 * passed back. Not re-entrant (module state), which a single-threaded server never needs.
 */
export function decodeRunFunctionRequest(bytesIn: Uint8Array, requiredProjection?: Projection): FnRequest {
  buf = Buffer.isBuffer(bytesIn) ? bytesIn : Buffer.from(bytesIn.buffer, bytesIn.byteOffset, bytesIn.byteLength);
  pos = 0;
  const end = buf.length;
  const req: FnRequest = { meta: { tag: '', capabilities: [] }, extra_resources: {}, required_resources: {} };
  const contextParts: Buffer[] = [];
  try {
    while (pos < end) {
      const tag = varint();
      switch (tag) {
        case 10: meta(lengthEnd(end), req.meta); break;
        case 18: section = 'observed'; req.observed = state(lengthEnd(end), req.observed); break;
        case 26: section = 'desired'; req.desired = state(lengthEnd(end), req.desired); break;
        case 34: section = 'input'; req.input = struct(lengthEnd(end), 0, req.input); break;
        case 42: {
          section = 'context';
          const contextEnd = lengthEnd(end);
          contextParts.push(buf.subarray(pos, contextEnd));
          req.context = struct(contextEnd, 0, req.context);
          break;
        }
        case 50: section = 'extra_resources'; resourcesEntry(lengthEnd(end), req.extra_resources, requiredProjection); break;
        case 66: section = 'required_resources'; resourcesEntry(lengthEnd(end), req.required_resources, requiredProjection); break;
        default: skip(tag & 7, end); // credentials (7), required_schemas (9), anything newer
      }
    }
    if (pos !== end) fail('message overruns');
    if (req.context) rawStructs.set(req.context, contextParts.length === 1 ? contextParts[0]! : Buffer.concat(contextParts));
    return req;
  } catch (e) {
    if (e instanceof WireError) throw e;
    if (e instanceof RangeError) throw new WireError(`malformed RunFunctionRequest: ${e.message}`);
    throw e;
  } finally {
    buf = Buffer.alloc(0);
    section = 'request';
  }
}
