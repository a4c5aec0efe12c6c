// The length-framed binary protocol between the server and its call process (call-process.ts) over
// the child's stdin and stdout. A frame is a 1-byte kind, a 4-byte big-endian length, then that many
// bytes, carried as raw Buffers: a 200 MiB request is copied into the pipe, never turned into text.

/** Kinds of frame. The server sends REQUEST; the call process answers with one of the others. */
export const FrameKind = {
  /** A RunFunctionRequest's bytes. */
  REQUEST: 0,
  /** A 4-byte length, that many bytes of JSON {tag, summary}, then the RunFunctionResponse's bytes. */
  RESPONSE: 1,
  /** The request is malformed (a WireError): UTF-8 message, answered INVALID_ARGUMENT. */
  WIRE_ERROR: 2,
  /** Any other failure: UTF-8 message, answered INTERNAL. */
  FAILED: 3,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const HEADER_BYTES = 5;
/** Largest frame body: the length field's range (requests are at most 2047 MiB, see --max-recv-message-size). */
export const MAX_FRAME_BYTES = 2 ** 32 - 1;

/** The header of a frame whose body is `length` bytes; write the body after it. */
export function frameHeader(kind: FrameKind, length: number): Buffer {
  if (length > MAX_FRAME_BYTES) throw new RangeError(`a frame of ${length} bytes is beyond the protocol's ${MAX_FRAME_BYTES}`);
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt8(kind, 0);
  header.writeUInt32BE(length, 1);
  return header;
}

/** Body of a RESPONSE frame: the metadata as a length-prefixed JSON, then the response bytes. */
export function responseBody(meta: unknown, response: Buffer): Buffer[] {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(json.length, 0);
  return [len, json, response];
}

export function parseResponseBody(body: Buffer): { meta: unknown; response: Buffer } {
  const jsonLength = body.readUInt32BE(0);
  const meta: unknown = JSON.parse(body.subarray(4, 4 + jsonLength).toString('utf8'));
  return { meta, response: body.subarray(4 + jsonLength) };
}

/**
 * Reassembles frames from a byte stream's chunks. Each body is copied once, straight into a buffer of
 * its final size, so a large frame never exists twice (as a list of chunks and again concatenated).
 */
export class FrameReader {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private kind: FrameKind | undefined;
  private body: Buffer | undefined;
  private bodyFill = 0;

  constructor(private readonly onFrame: (kind: FrameKind, body: Buffer) => void) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.kind === undefined) {
        const n = Math.min(HEADER_BYTES - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + n);
        this.headerFill += n;
        at += n;
        if (this.headerFill < HEADER_BYTES) return;
        this.kind = this.header.readUInt8(0) as FrameKind;
        this.body = Buffer.allocUnsafe(this.header.readUInt32BE(1));
        this.bodyFill = 0;
        this.headerFill = 0;
      }
      const body = this.body!;
      const n = Math.min(body.length - this.bodyFill, chunk.length - at);
      chunk.copy(body, this.bodyFill, at, at + n);
      this.bodyFill += n;
      at += n;
      if (this.bodyFill === body.length) {
        const kind = this.kind;
        this.kind = undefined;
        this.body = undefined;
        this.onFrame(kind, body);
      }
    }
  }
}
