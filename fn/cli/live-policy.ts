// Reads a live Cloud Armor policy through @google-cloud/compute (REST transport). Required lazily by
// plan and import only. Credentials are Application Default Credentials; for an http:// endpoint (a
// local test double) a pass-through client sends none, so a token is never sent in clear text.
import { CliError } from './io';

export interface ComputeOptions {
  /** `https://compute.googleapis.com` (default) or another endpoint URL. */
  apiEndpoint?: string;
  timeoutMs: number;
}

export type LiveResult = { found: true; policy: unknown } | { found: false };

// gRPC status codes the REST transport maps HTTP errors to.
const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;
const DEADLINE_EXCEEDED = 4;

interface Endpoint {
  host: string;
  port?: number;
  protocol: 'http' | 'https';
}

export function parseEndpoint(text: string): Endpoint {
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `https://${text}`);
  } catch {
    throw new CliError(`--api-endpoint ${JSON.stringify(text)}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--api-endpoint ${text}: only http and https`);
  return { host: url.hostname, port: url.port ? Number(url.port) : undefined, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}

/** An auth client that adds no credentials and sends the request with the platform fetch. */
const passThroughAuth = {
  getRequestHeaders: async () => new Headers(),
  fetch: (url: string, init: { method?: string; headers?: HeadersInit; body?: BodyInit; signal?: AbortSignal }) =>
    fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal }),
};

export async function getLivePolicy(project: string, policy: string, opts: ComputeOptions): Promise<LiveResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SecurityPoliciesClient } = require('@google-cloud/compute') as typeof import('@google-cloud/compute');
  const endpoint = opts.apiEndpoint ? parseEndpoint(opts.apiEndpoint) : undefined;
  const clientOptions: Record<string, unknown> = { fallback: true };
  if (endpoint) {
    clientOptions.apiEndpoint = endpoint.host;
    clientOptions.port = endpoint.port ?? (endpoint.protocol === 'http' ? 80 : 443);
    clientOptions.protocol = endpoint.protocol;
    if (endpoint.protocol === 'http') clientOptions.authClient = passThroughAuth;
  }
  const where = `projects/${project}/global/securityPolicies/${policy}`;
  const client = new SecurityPoliciesClient(clientOptions as ConstructorParameters<typeof SecurityPoliciesClient>[0]);
  try {
    // The client's get() starts initialize() itself and rethrows its failure from a promise nobody
    // awaits (an unhandled rejection: google-auth's stack trace after our message). Initializing
    // first, here, makes a credentials failure an ordinary rejection of this call.
    await client.initialize();
    const [live] = await client.get({ project, securityPolicy: policy }, { timeout: opts.timeoutMs, retry: null as never });
    return { found: true, policy: plain(live) };
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    const reason = (typeof err.message === 'string' && err.message ? err.message : String(e)).split('\n')[0]!;
    if (err.code === NOT_FOUND) return { found: false };
    if (err.code === PERMISSION_DENIED) {
      throw new CliError(`permission denied reading ${where}: ${reason}. The caller needs compute.securityPolicies.get on project ${project} (e.g. roles/compute.securityAdmin or roles/compute.viewer)`);
    }
    if (err.code === UNAUTHENTICATED) throw new CliError(`the Compute API rejected the credentials reading ${where}: ${reason}. Run "gcloud auth application-default login" or set GOOGLE_APPLICATION_CREDENTIALS`);
    if (err.code === DEADLINE_EXCEEDED || /timeout|timed out|aborted/i.test(reason)) throw new CliError(`no answer from the Compute API for ${where} within ${opts.timeoutMs / 1000}s (--timeout)`);
    const credentialsFile = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    if (credentialsFile && (reason.includes(credentialsFile) || /ENOENT|not a file/.test(reason))) {
      throw new CliError(`GOOGLE_APPLICATION_CREDENTIALS=${credentialsFile}: no such file or not a credentials file (${reason.slice(0, 200)}); point it at a service account or workload identity federation file, or unset it to use "gcloud auth application-default login"`);
    }
    if (/default credentials/i.test(reason)) {
      throw new CliError(`no Application Default Credentials to read ${where}: run "gcloud auth application-default login", set GOOGLE_APPLICATION_CREDENTIALS, or run with a workload identity`);
    }
    throw new CliError(`cannot read ${where}: ${reason}`);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * The client's message objects as plain JSON: protobuf.js adds a virtual `_field: "field"` beside each
 * proto3 optional field (its oneof marker); those are dropped so the object reads like the REST JSON.
 */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('_') && v === k.slice(1)) continue;
    out[k] = plain(v);
  }
  return out;
}
