// The one duration grammar of the project, used by the CLI (--timeout) and by `fn.js serve` (--ttl).
// It is Go's time.ParseDuration grammar without the sign, since Crossplane's function SDKs take Go
// durations for the same flags: one or more <number><unit> terms (`30s`, `1m30s`, `1.5h`, `500ms`),
// units ns, us (or µs), ms, s, m, h; a bare `0` is zero. A number without a unit is an error, never
// guessed (is `30` seconds or milliseconds?).

export class DurationError extends Error {
  override name = 'DurationError';
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
/** Longer is not a duration anyone means; it also bounds the work on hostile input. */
const MAX_LENGTH = 64;

/**
 * A duration in milliseconds. Throws a DurationError (or the caller's error type, so that a program
 * reports it with its other flag errors) that quotes the text, truncated.
 */
export function parseDuration(text: string, ErrorType: new (message: string) => Error = DurationError): number {
  const quoted = JSON.stringify(text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}...` : text);
  const fail = (why: string): never => {
    throw new ErrorType(`invalid duration ${quoted}: ${why}; expected e.g. 30s, 1m30s, 500ms, 2h`);
  };
  if (text === '0') return 0;
  if (text === '') fail('empty');
  if (text.length > MAX_LENGTH) fail('too long');
  let ms = 0;
  let i = 0;
  while (i < text.length) {
    TERM.lastIndex = i;
    const m = TERM.exec(text);
    if (!m) fail(/^\d+(?:\.\d*)?$/.test(text.slice(i)) ? 'a number needs a unit' : 'not a duration');
    ms += Number(m![1]) * UNIT_MS[m![2]!]!;
    i = TERM.lastIndex;
  }
  if (!Number.isFinite(ms)) fail('too large');
  return ms;
}
