// `node fn.js` with no arguments: the KRM function. Reads the whole ResourceList from stdin, writes one
// ResourceList to stdout (in slices of a few MB), exits 1 when any result is an error (KRM spec), and never
// lets an exception escape as a stack trace.
import { InputBoundError, MAX_INPUT_BYTES } from './bounds';
import { decodeUtf8, tooLarge } from './decode';
import { itemBoundErrors } from './item-bounds';
import { parseResourceListText, resourceListToYaml, type ParsedList } from './item-sources';
import { processResourceList, type KrmOutcome } from './process';
import type { KrmObject, KrmResult } from './resource-list';
import { describeYamlError, toYaml } from './yaml';

/** stdin as text, or the reason it cannot be read (too large, not UTF-8). Past the size bound the
 * rest is read and dropped, so the writer is not left blocked on a full pipe. */
function readStdin(): Promise<string | InputBoundError> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    process.stdin.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_INPUT_BYTES) chunks.push(c);
      else chunks = [];
    });
    process.stdin.on('end', () => {
      const all = Buffer.concat(chunks);
      // The listener outlives this call: drop the chunks, or a large input stays in memory twice.
      chunks = [];
      if (size > MAX_INPUT_BYTES) return resolve(tooLarge(size));
      try {
        resolve(decodeUtf8(all));
      } catch (e) {
        if (e instanceof InputBoundError) resolve(e);
        else reject(e);
      }
    });
    process.stdin.on('error', reject);
  });
}

const WRITE_SLICE = 8 * 1024 * 1024;

/**
 * Writes a (possibly hundreds of MB) answer in slices, waiting for the reader when the pipe is full,
 * so that at most one slice is held as a Buffer besides the string itself.
 */
async function writeStdout(text: string): Promise<void> {
  for (let i = 0; i < text.length;) {
    let end = Math.min(text.length, i + WRITE_SLICE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--; // never split a surrogate pair
    if (!process.stdout.write(text.slice(i, end))) {
      await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
    }
    i = end;
  }
}

type KrmRun = KrmOutcome & Pick<ParsedList, 'sources' | 'column'>;

export function runKrm(text: string): KrmRun {
  if (text.trim() === '') {
    return failed('stdin is empty: expected a ResourceList (kind: ResourceList, apiVersion: config.kubernetes.io/v1)');
  }
  let parsed: ParsedList;
  try {
    parsed = parseResourceListText(text);
  } catch (e) {
    return failed(describeYamlError(e));
  }
  const list = parsed.value as { items?: unknown; functionConfig?: unknown } | null;
  const items = Array.isArray(list?.items) ? (list.items as KrmObject[]) : undefined;
  const echo = (outcome: KrmOutcome): KrmRun => {
    if (items) outcome.output.items = items;
    if (list?.functionConfig !== undefined) outcome.output.functionConfig = list.functionConfig as KrmObject;
    return { ...outcome, sources: parsed.sources, column: parsed.column };
  };
  if (list !== null && typeof list === 'object') {
    const bounds = itemBoundErrors(list, parsed);
    if (bounds.length > 0) return echo(failedWith(bounds));
  }
  try {
    return { ...processResourceList(parsed.value), sources: parsed.sources, column: parsed.column };
  } catch (e) {
    // Past a bound while reading an object (InputBoundError), or a bug: still answer in protocol,
    // and with the items as they came.
    if (e instanceof InputBoundError) return echo(failed(`an object the function reads ${e.message}`));
    return echo(failed(`internal error: ${e instanceof Error ? e.message : String(e)}`));
  }
}

/** The whole answer as text: the function's stdout. */
export function krmOutputText(outcome: KrmRun): string {
  return resourceListToYaml(outcome.output as unknown as { items: unknown[] }, outcome);
}

function failed(message: string): KrmOutcome {
  return failedWith([{ message, severity: 'error' }]);
}

function failedWith(results: KrmResult[]): KrmOutcome {
  return {
    ok: false,
    output: { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [], results },
    summary: results.map((r) => `error: ${r.message}`),
  };
}

export function krmMain(): void {
  // A reader that goes away (EPIPE) is reported in one line, not as an unhandled 'error' event.
  process.stdout.on('error', (e: Error) => {
    process.stderr.write(`error: cannot write stdout: ${e.message}\n`);
    process.exitCode = 1;
  });
  readStdin()
    .then((text) => {
      let outcome: KrmOutcome;
      let out: string;
      try {
        const result = text instanceof InputBoundError ? failed(`input is ${text.message}`) : runKrm(text);
        outcome = result;
        out = krmOutputText(result);
      } catch (e) {
        // A bug, not bad input: still answer in protocol, with the reason on stderr.
        outcome = failed(`internal error: ${e instanceof Error ? e.message : String(e)}`);
        out = toYaml(outcome.output);
      }
      for (const line of outcome.summary) process.stderr.write(`${line}\n`);
      process.exitCode = outcome.ok ? 0 : 1;
      return writeStdout(out);
    })
    .catch((e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
}
