// Reading inputs (files, directories, `-` for stdin; YAML or JSON, one or many documents) and writing
// YAML. Documents are sorted into what the commands use: SecurityPolicies, Nodes, previously generated
// ComputeSecurityPolicies, and everything else (passed through by `render --passthrough`).
import { readFileSync, statSync } from 'node:fs';
import { isCoreNode, isNodeSnapshot, isOurSecurityPolicy, type NodeLike } from '../core';
import { InputBoundError, MAX_INPUT_BYTES, formatCount } from '../krm/bounds';
import { decodeUtf8 } from '../krm/decode';
import { describeYamlError, parseDocuments as parseYamlDocuments, plain } from '../krm/yaml';
import { expandPaths as expandFilePaths } from './paths';

// One YAML dialect for the whole project (js-yaml 4 core schema, numbers kept as written).
export { toYaml, toYamlStream } from '../krm/yaml';

/** A user-facing failure: printed as `error: <message>` (no stack trace), exit code 1. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

export type Doc = Record<string, unknown> & { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };

export interface Located {
  doc: Doc;
  /** Where it came from, for messages: `policies/web.yaml#2` (document index from 1). */
  origin: string;
}

export interface Inputs {
  securityPolicies: Located[];
  nodes: NodeLike[];
  /** ComputeSecurityPolicy objects found among the inputs (the previously generated output). */
  computeSecurityPolicies: Located[];
  /** Every other object, in input order. */
  others: Located[];
  /** NodeSnapshot markers (see fn/core/api.ts): a snapshot that says how many Nodes it holds. */
  snapshots: Doc[];
}

/** Files under each path (folders recursively, staying inside them; see paths.ts); `-` is stdin. */
export function expandPaths(paths: readonly string[]): string[] {
  const { files, errors, warnings } = expandFilePaths(paths);
  if (errors.length > 0) throw new CliError(errors.join('\nerror: '));
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  return files;
}

/** Parses YAML (which includes JSON) into documents; empty documents are dropped. */
export function parseDocuments(text: string, origin: string): Located[] {
  let docs: unknown[];
  try {
    docs = parseYamlDocuments(text);
  } catch (e) {
    throw new CliError(`${origin}: not valid YAML or JSON: ${describeYamlError(e)}`);
  }
  const out: Located[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new CliError(`${origin}#${i + 1}: expected a Kubernetes object, found ${Array.isArray(doc) ? 'a list' : typeof doc}`);
    out.push({ doc: doc as Doc, origin: docs.length > 1 ? `${origin}#${i + 1}` : origin });
  });
  return out;
}

/** A file's text through the same reader as the KRM function's stdin: UTF-8 only, size bounded. */
export function readText(path: string): string {
  const origin = path === '-' ? '<stdin>' : path;
  let bytes: Buffer;
  try {
    if (path !== '-' && statSync(path).size > MAX_INPUT_BYTES) throw new CliError(`${path}: larger than ${formatCount(MAX_INPUT_BYTES / 1024 / 1024)} MiB`);
    bytes = readFileSync(path === '-' ? 0 : path);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return decodeUtf8(bytes);
  } catch (e) {
    if (e instanceof InputBoundError) throw new CliError(`${origin}: ${e.message}`);
    throw e;
  }
}

/** plain(), with a value beyond the bounds (aliases, depth) reported against its file. */
function readable<T>(doc: T, origin: string): T {
  try {
    return plain(doc);
  } catch (e) {
    if (e instanceof InputBoundError) throw new CliError(`${origin}: ${e.message}`);
    throw e;
  }
}

/** Reads every path and sorts the objects found; Lists, NodeLists and ResourceLists are flattened. */
export function readInputs(paths: readonly string[]): Inputs {
  const inputs: Inputs = { securityPolicies: [], nodes: [], computeSecurityPolicies: [], others: [], snapshots: [] };
  for (const file of expandPaths(paths)) {
    const origin = file === '-' ? '<stdin>' : file;
    for (const located of parseDocuments(readText(file), origin)) classify(located, inputs, undefined);
  }
  return inputs;
}

function classify({ doc, origin }: Located, inputs: Inputs, list: Doc | undefined): void {
  const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
  if (kind === 'ResourceList') {
    // The functionConfig was handed to the function: a SecurityPolicy there is ours whatever its group.
    const fc = doc.functionConfig as Doc | undefined;
    if (fc && fc.kind === 'SecurityPolicy') inputs.securityPolicies.push({ doc: readable(fc, `${origin} functionConfig`), origin: `${origin} functionConfig` });
    listItems(doc, origin).forEach((item) => classify(item, inputs, undefined));
    return;
  }
  if (kind !== undefined && /List$/.test(kind) && Array.isArray(doc.items)) {
    listItems(doc, origin).forEach((item) => classify(item, inputs, doc));
    return;
  }
  // Which objects are SecurityPolicies and Nodes is the core's decision (the KRM function reads alike);
  // what the core reads gets plain numbers; everything else keeps numbers as written (--passthrough).
  if (isOurSecurityPolicy(doc)) inputs.securityPolicies.push({ doc: readable(doc, origin), origin });
  else if (isCoreNode(doc, list)) inputs.nodes.push(readable(doc, origin) as NodeLike);
  else if (isNodeSnapshot(doc)) inputs.snapshots.push(readable(doc, origin));
  else if (kind === 'ComputeSecurityPolicy') inputs.computeSecurityPolicies.push({ doc: readable(doc, origin), origin });
  else if (kind !== undefined) inputs.others.push({ doc, origin });
  // Documents without a kind (kustomization.yaml, Kptfile-less config) are not Kubernetes objects: ignored.
}

function listItems(doc: Doc, origin: string): Located[] {
  const items = Array.isArray(doc.items) ? doc.items : [];
  return items
    .map((item, i) => ({ doc: item as Doc, origin: `${origin} items[${i}]` }))
    .filter((l) => l.doc !== null && typeof l.doc === 'object' && !Array.isArray(l.doc));
}

/** `ns/name` or `name`, for messages. */
export function objectName(doc: Doc): string {
  const name = typeof doc.metadata?.name === 'string' ? doc.metadata.name : '(unnamed)';
  const ns = typeof doc.metadata?.namespace === 'string' && doc.metadata.namespace ? `${doc.metadata.namespace}/` : '';
  return `${ns}${name}`;
}
