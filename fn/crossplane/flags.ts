// Command-line flags of `fn.js serve`, named as in Crossplane's Go and Python function SDKs.
import { parseDuration as parseSharedDuration } from '../shared/duration';

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
}

/** Mutual TLS: every interface, since Crossplane must reach the pod. */
export const DEFAULT_ADDRESS = '0.0.0.0:9443';
/** Plaintext: loopback only, so `serve --insecure` on a workstation or CI host is not open to the network. */
export const DEFAULT_INSECURE_ADDRESS = '127.0.0.1:9443';
/** Crossplane sends every required Node whole (several KiB each): 15,000 GKE Nodes are ~130 MiB. */
export const DEFAULT_MAX_RECV_MB = 256;
export const DEFAULT_TTL = '60s';

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
  };
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
      default: throw new FlagError(`unknown flag ${JSON.stringify(arg)}`);
    }
  }
  if (network !== 'tcp' && network !== 'unix') throw new FlagError(`--network takes tcp or unix, not ${JSON.stringify(network)}`);
  flags.address = listenAddress(address ?? (env.FUNCTION_ADDRESS || undefined), network, flags.insecure);
  return flags;
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
