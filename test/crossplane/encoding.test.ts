// Values that JSON cannot hold but a google.protobuf.Value can (NaN, +-Infinity), and deep nesting,
// over real gRPC: what the function passes through comes back as it came, up to the documented nesting
// limit; beyond it the answer is INVALID_ARGUMENT naming the field, never INTERNAL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { encodeRequest, serveForSuite, varint, type Obj } from './harness';

const XR = { apiVersion: 'security.example.org/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'web', namespace: 'team-web' }, spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }] } };
const BASE = encodeRequest({ tag: 'enc', observed: { composite: { resource: XR } } });

// Hand-made wire bytes: the harness's protobufjs client refuses to encode these values itself.
const field = (tag: number, b: Buffer) => Buffer.concat([Buffer.from([tag]), varint(b.length), b]);
const entry = (key: string, value: Buffer) => field(0x0a, Buffer.concat([field(0x0a, Buffer.from(key)), field(0x12, value)]));
const number = (n: number) => { const b = Buffer.alloc(9); b[0] = 0x11; b.writeDoubleLE(n, 1); return b; };
const structValue = (struct: Buffer) => field(0x2a, struct);
const listValue = (values: Buffer[]) => field(0x32, Buffer.concat(values.map((v) => field(0x0a, v))));
/** A Struct `{n: {n: ... {leaf: 1}}}` with `levels` objects in all. */
function nestedStruct(levels: number): Buffer {
  let s = entry('leaf', number(1));
  for (let i = 1; i < levels; i++) s = entry('n', structValue(s));
  return s;
}
function nestedJson(levels: number): Obj {
  let o: Obj = { leaf: 1 };
  for (let i = 1; i < levels; i++) o = { n: o };
  return o;
}
const withContext = (struct: Buffer) => Buffer.concat([BASE, field(0x2a, struct)]);
/** desired { resources { "earlier": { resource: <struct> } } }: an earlier step's resource. */
const withDesired = (struct: Buffer) => Buffer.concat([BASE, field(0x1a, field(0x12, Buffer.concat([field(0x0a, Buffer.from('earlier')), field(0x12, field(0x0a, struct))])))]);

describe('values and nesting passed through', () => {
  const suite = serveForSuite();

  for (const v of [NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, 5e-324]) {
    test(`${Object.is(v, -0) ? '-0' : v} in context comes back as it came`, async () => {
      const rsp = await suite.client.run(withContext(Buffer.concat([entry('x', number(v)), entry('list', listValue([number(v), number(1)]))])));
      const context = rsp.context as { x: number; list: number[] };
      assert.ok(Object.is(context.x, v), String(context.x));
      assert.ok(Object.is(context.list[0], v), String(context.list[0]));
    });
  }

  test('NaN in an earlier step\'s desired resource comes back as it came', async () => {
    const rsp = await suite.client.run(withDesired(Buffer.concat([entry('kind', field(0x1a, Buffer.from('ConfigMap'))), entry('ratio', number(NaN))])));
    const earlier = (rsp.desired as { resources: Record<string, { resource: { ratio: number } }> }).resources.earlier!;
    assert.ok(Number.isNaN(earlier.resource.ratio));
  });

  for (const levels of [50, 51, 100]) {
    test(`a context ${levels} objects deep comes back as it came`, async () => {
      const rsp = await suite.client.run(withContext(nestedStruct(levels)));
      assert.deepStrictEqual(rsp.context, nestedJson(levels));
    });
  }

  test('an earlier step\'s resource 100 objects deep comes back as it came', async () => {
    const rsp = await suite.client.run(withDesired(nestedStruct(100)));
    assert.deepStrictEqual((rsp.desired as { resources: Record<string, { resource: Obj }> }).resources.earlier!.resource, nestedJson(100));
  });

  for (const [where, bytes] of [['context', withContext(nestedStruct(101))], ['desired.resources', withDesired(nestedStruct(150))], ['context', withContext(entry('l', listValue(Array.from({ length: 1 }, () => structValue(nestedStruct(100))))))]] as const) {
    test(`${where} nested deeper than 100 levels: INVALID_ARGUMENT naming ${where}, and the server keeps serving`, async () => {
      await assert.rejects(suite.client.raw(bytes), (e: grpc.ServiceError) => {
        assert.equal(e.code, grpc.status.INVALID_ARGUMENT, `${e.code} ${e.details}`);
        assert.match(e.details, new RegExp(`${where.replace('.', '\\.')}.*nested more than 100 levels`));
        return true;
      });
      const rsp = await suite.client.run(BASE);
      assert.equal((rsp.meta as { tag: string }).tag, 'enc');
    });
  }
});
