// Command-line flags of `fn.js serve`, named as in Crossplane's Go and Python function SDKs.
import { parseDuration as parseSharedDuration } from '../common/duration';

export interface ServeFlags {
  insecure: boolean;
  address: string;
  tlsServerCertsDir?: string;
  /** Largest request accepted, in bytes. */
  maxRecvMessageBytes: number;
  debug: boolean;
  /** meta.ttl of every response, in milliseconds. */
  ttlMs: number;
  help: boolean;
  /** Calls held at once (queued or running); more are refused with RESOURCE_EXHAUSTED. */
  maxConcurrentCalls: number;
  /** Request bytes held at once; a call that would exceed it is refused with RESOURCE_EXHAUSTED. */
  maxInflightBytes: number;
  /** Heap a large call may use in the call process, in MiB; beyond it, RESOURCE_EXHAUSTED. */
  maxCallMemoryMb: number;
}

/** Mutual TLS: every interface, since Crossplane must reach the pod. */
export const DEFAULT_ADDRESS = '0.0.0.0:9443';
/** Plaintext: loopback only, so `serve --insecure` on a workstation or CI host is not open to the network. */
export const DEFAULT_INSECURE_ADDRESS = '127.0.0.1:9443';
/** Crossplane sends every required Node whole (several KiB each): 15,000 GKE Nodes are ~130 MiB. */
export const DEFAULT_MAX_RECV_MB = 256;
export const DEFAULT_TTL = '60s';
/** Crossplane reconciles up to 100 composites at once by default (--max-reconcile-rate): room for 2.5x. */
export const DEFAULT_MAX_CONCURRENT_CALLS = 256;
/** At least twice the largest request, so one largest request is admitted beside small calls. */
export const DEFAULT_MAX_INFLIGHT_MIB = 512;
/** A 256 MiB request of Nodes peaks near 0.6 GiB; one whose bulk is passed back (context) near 1.5 GiB. */
export const DEFAULT_MAX_CALL_MEMORY_MIB = 2048;
/** Requests from this size on are decoded in the call process, off the server's event loop. */
export const CALL_PROCESS_THRESHOLD_BYTES = 4 * 1024 * 1024;

export const USAGE = `usage: fn.js serve [flags]
       fn.js [flags]                 the same: any flag implies serve mode (as Crossplane's SDKs take them)

Serves the Crossplane composition function (gRPC apiextensions.fn.proto.v1.FunctionRunnerService).
With no arguments and no $TLS_SERVER_CERTS_DIR, fn.js is the KRM function instead (ResourceList on stdin).

  --address HOST:PORT           where to listen (default ${DEFAULT_ADDRESS} with mutual TLS, ${DEFAULT_INSECURE_ADDRESS}
                                with --insecure; $FUNCTION_ADDRESS when set; ":PORT" is every interface)
  --network tcp|unix            with unix, --address is a socket path (default tcp)
  --tls-server-certs-dir DIR    mutual TLS from DIR/tls.crt, DIR/tls.key and DIR/ca.crt; client certificate
                                required (default: $TLS_SERVER_CERTS_DIR; alias --tls-certs-dir)
  --insecure                    serve plaintext gRPC, without TLS (for crossplane render and local tests)
  --max-recv-message-size MB    largest request accepted, in MiB (default ${DEFAULT_MAX_RECV_MB})
  --ttl DURATION                how long Crossplane may cache a response, e.g. 30s, 2m (default ${DEFAULT_TTL})
  --max-concurrent-calls N      calls held at once, queued or running; more are refused with
                                RESOURCE_EXHAUSTED (default ${DEFAULT_MAX_CONCURRENT_CALLS})
  --max-inflight-bytes SIZE     request bytes held at once, e.g. 512Mi, 1Gi; a call that would exceed it is
                                refused with RESOURCE_EXHAUSTED (default the larger of ${DEFAULT_MAX_INFLIGHT_MIB}Mi and twice
                                --max-recv-message-size; at least --max-recv-message-size)
  --max-call-memory SIZE        heap one large call (${CALL_PROCESS_THRESHOLD_BYTES / 2 ** 20} MiB and more, run in a child process) may use;
                                beyond it the call gets RESOURCE_EXHAUSTED (default ${DEFAULT_MAX_CALL_MEMORY_MIB}Mi)
  -d, --debug                   log every request (JSON lines on stderr)
  -h, --help                    show this help
`;

export class FlagError extends Error {
  override name = 'FlagError';
}

/** The project's one duration grammar (Go's), with this file's error type for serve's usage message. */
export const parseDuration = (text: string): number => parseSharedDuration(text, FlagError);

export function parseServeFlags(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeFlags {
  let address: string | undefined;
  let network = 'tcp';
  const flags: ServeFlags = {
    insecure: false,
    address: DEFAULT_ADDRESS,
    tlsServerCertsDir: env.TLS_SERVER_CERTS_DIR || undefined,
    maxRecvMessageBytes: DEFAULT_MAX_RECV_MB * 1024 * 1024,
    debug: false,
    ttlMs: parseDuration(DEFAULT_TTL),
    help: false,
    maxConcurrentCalls: DEFAULT_MAX_CONCURRENT_CALLS,
    maxInflightBytes: 0,
    maxCallMemoryMb: DEFAULT_MAX_CALL_MEMORY_MIB,
  };
  let maxInflightBytes: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) throw new FlagError(`${name} needs a value`);
      return v;
    };
    const bool = (): boolean => {
      if (inline === undefined) return true;
      if (inline === 'true') return true;
      if (inline === 'false') return false;
      throw new FlagError(`${name} takes true or false, not ${JSON.stringify(inline)}`);
    };
    switch (name) {
      case '--insecure': flags.insecure = bool(); break;
      case '-d': case '--debug': flags.debug = bool(); break;
      case '-h': case '--help': flags.help = true; break;
      case '--address': address = value(); break;
      case '--network': network = value(); break;
      case '--tls-server-certs-dir': case '--tls-certs-dir': flags.tlsServerCertsDir = value(); break;
      case '--max-recv-message-size': {
        const v = value();
        const mb = Number(v);
        if (!/^\d+$/.test(v) || mb < 1 || mb > 2047) throw new FlagError(`--max-recv-message-size takes a whole number of MiB from 1 to 2047, not ${JSON.stringify(v)}`);
        flags.maxRecvMessageBytes = mb * 1024 * 1024;
        break;
      }
      case '--ttl': flags.ttlMs = parseDuration(value()); break;
      case '--max-concurrent-calls': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 1_000_000) throw new FlagError(`--max-concurrent-calls takes a whole number from 1 to 1000000, not ${JSON.stringify(v)}`);
        flags.maxConcurrentCalls = Number(v);
        break;
      }
      case '--max-inflight-bytes': maxInflightBytes = parseSize(name, value()); break;
      case '--max-call-memory': {
        const bytes = parseSize(name, value());
        if (bytes < 64 * 2 ** 20) throw new FlagError(`--max-call-memory must be at least 64Mi, not ${bytes} bytes`);
        flags.maxCallMemoryMb = Math.floor(bytes / 2 ** 20);
        break;
      }
      default: throw new FlagError(`unknown flag ${JSON.stringify(arg)}`);
    }
  }
  if (network !== 'tcp' && network !== 'unix') throw new FlagError(`--network takes tcp or unix, not ${JSON.stringify(network)}`);
  flags.address = listenAddress(address ?? (env.FUNCTION_ADDRESS || undefined), network, flags.insecure);
  flags.maxInflightBytes = maxInflightBytes ?? Math.max(DEFAULT_MAX_INFLIGHT_MIB * 2 ** 20, 2 * flags.maxRecvMessageBytes);
  if (flags.maxInflightBytes < flags.maxRecvMessageBytes) {
    throw new FlagError(`--max-inflight-bytes (${flags.maxInflightBytes} bytes) must be at least --max-recv-message-size (${flags.maxRecvMessageBytes} bytes): a request the transport accepts could never be admitted`);
  }
  return flags;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/** A byte size: a whole number with an optional unit (Ki, Mi, Gi, KiB, MiB, GiB, k, M, G); e.g. 512Mi. */
export function parseSize(flag: string, text: string): number {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) === 0) throw new FlagError(`${flag} takes a size such as 512Mi or 1Gi, not ${JSON.stringify(text)}`);
  const bytes = Number(m[1]) * unit;
  if (!Number.isSafeInteger(bytes) || bytes > 2 ** 40) throw new FlagError(`${flag}: ${JSON.stringify(text)} is too large`);
  return bytes;
}

/** The address handed to grpc-js: the default depends on TLS; Go's ":PORT" means every interface. */
function listenAddress(given: string | undefined, network: string, insecure: boolean): string {
  if (given === '') throw new FlagError('--address must not be empty');
  if (network === 'unix') {
    if (given === undefined) throw new FlagError('--network unix needs --address with the socket path');
    return given.startsWith('unix:') ? given : `unix:${given}`;
  }
  if (given === undefined) return insecure ? DEFAULT_INSECURE_ADDRESS : DEFAULT_ADDRESS;
  return /^:\d+$/.test(given) ? `0.0.0.0${given}` : given;
}
