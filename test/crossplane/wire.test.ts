// The server's direct wire decoder against the generic protobufjs decoder, on arbitrary JSON: what
// goes in as a Struct comes out as the same JSON (integers stay integers, empty lists and objects
// and nulls survive), and the Node projection keeps exactly what the core reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fnTypes } from '../../fn/crossplane/proto';
import { fromStruct, type PbStruct } from '../../fn/crossplane/struct';
import { decodeRunFunctionRequest, NODE_PROJECTION, WireError } from '../../fn/crossplane/wire';
import { realPublicNode } from '../helpers/nodes';
import { encodeRequest, encodeResourcesEntry, type Obj } from './harness';

const json = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })).map((o) => JSON.parse(JSON.stringify(o)) as Obj);

test('Struct -> JSON: same as the generic decoder, and the same JSON that went in', () => {
  fc.assert(fc.property(json, json, fc.string(), (composite, context, tag) => {
    const bytes = encodeRequest({ tag, observed: { composite: { resource: composite } }, context, extra_resources: { k: [composite] } });
    const mine = decodeRunFunctionRequest(bytes);
    const T = fnTypes().RunFunctionRequest;
    const generic = T.decode(bytes) as unknown as { observed: { composite: { resource: PbStruct } }; context: PbStruct };
    assert.deepStrictEqual(mine.observed?.composite?.resource, fromStruct(generic.observed.composite.resource));
    assert.deepStrictEqual(mine.observed?.composite?.resource, composite);
    assert.deepStrictEqual(mine.context, context);
    assert.deepStrictEqual(mine.extra_resources.k?.[0]?.resource, composite);
    assert.equal(mine.meta.tag, tag);
    assert.equal(JSON.stringify(mine.observed?.composite?.resource), JSON.stringify(composite));
  }), { numRuns: 300 });
});

test('exact edge values: integers, empty containers, null, unicode and __proto__ keys', () => {
  const o = JSON.parse('{"int":3,"big":9007199254740991,"neg":-42,"frac":0.25,"empty":{},"list":[],"nested":[[],{}],"nil":null,"t":true,"f":false,"s":"ünï😀","__proto__":{"x":1}}') as Obj;
  const r = decodeRunFunctionRequest(encodeRequest({ observed: { composite: { resource: o } } }));
  assert.equal(JSON.stringify(r.observed?.composite?.resource), JSON.stringify(o));
  assert.equal(Object.getPrototypeOf(r.observed?.composite?.resource), Object.prototype);
});

test('required Nodes are decoded through the projection: only what the core reads', () => {
  const node = realPublicNode();
  const bytes = Buffer.concat([encodeRequest({ tag: 't' }), encodeResourcesEntry(8, 'nodes-all', [node])]);
  const r = decodeRunFunctionRequest(bytes, NODE_PROJECTION);
  assert.deepStrictEqual(r.required_resources['nodes-all']?.[0]?.resource, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.metadata.name, labels: node.metadata.labels },
    status: { addresses: node.status.addresses, conditions: node.status.conditions.map((c) => ({ type: c.type, status: c.status })) },
  });
  // Without a projection everything is there.
  assert.deepStrictEqual(decodeRunFunctionRequest(bytes).required_resources['nodes-all']?.[0]?.resource, JSON.parse(JSON.stringify(node)));
});

test('every truncation of a valid request is either decoded or refused with a WireError, never anything else', () => {
  const bytes = encodeRequest({ tag: 'x', observed: { composite: { resource: { a: [1, 'b', { c: null }], d: {} } } }, extra_resources: { k: [{ e: 1 }] } });
  for (let n = 0; n < bytes.length; n++) {
    try {
      decodeRunFunctionRequest(bytes.subarray(0, n));
    } catch (e) {
      assert.ok(e instanceof WireError, `${n}: ${String(e)}`);
    }
  }
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (garbage) => {
    try {
      decodeRunFunctionRequest(garbage);
    } catch (e) {
      assert.ok(e instanceof WireError, String(e));
    }
  }), { numRuns: 2000 });
});
