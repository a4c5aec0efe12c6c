// `node fn.js` with no arguments: the KRM function. Reads the whole ResourceList from stdin, writes one
// ResourceList to stdout (in slices of a few MB), exits 1 when any result is an error (KRM spec), and never
// lets an exception escape as a stack trace.
import { processResourceList, type KrmOutcome } from './process';
import { describeYamlError, parseResourceListText, resourceListToYaml, toYaml, type ItemSource } from './yaml';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => {
      const all = Buffer.concat(chunks);
      // The listener outlives this call: drop the chunks, or a large input stays in memory twice.
      chunks = [];
      resolve(all.toString('utf8'));
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

export function runKrm(text: string): KrmOutcome & { sources?: Map<unknown, ItemSource> } {
  if (text.trim() === '') {
    return failed('stdin is empty: expected a ResourceList (kind: ResourceList, apiVersion: config.kubernetes.io/v1)');
  }
  let parsed: ReturnType<typeof parseResourceListText>;
  try {
    parsed = parseResourceListText(text);
  } catch (e) {
    return failed(describeYamlError(e));
  }
  try {
    return { ...processResourceList(parsed.value), sources: parsed.sources };
  } catch (e) {
    // A bug, not bad input: still answer in protocol, and with the items as they came.
    const items = (parsed.value as { items?: unknown } | null)?.items;
    const outcome = failed(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (Array.isArray(items)) outcome.output.items = items as KrmOutcome['output']['items'];
    return { ...outcome, sources: parsed.sources };
  }
}

/** The whole answer as text: the function's stdout. */
export function krmOutputText(outcome: ReturnType<typeof runKrm>): string {
  return resourceListToYaml(outcome.output as unknown as { items: unknown[] }, outcome.sources);
}

function failed(message: string): KrmOutcome {
  return {
    ok: false,
    output: { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [], results: [{ message, severity: 'error' }] },
    summary: [`error: ${message}`],
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
        const result = runKrm(text);
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
