// `fn.js serve`: flags, credentials, server start, graceful stop. Exit 1 with one clear line when it
// cannot start; exit 0 after SIGTERM/SIGINT once in-flight calls finish (or the grace period ends).
import * as grpc from '@grpc/grpc-js';
import { FlagError, parseServeFlags, USAGE, CALL_PROCESS_THRESHOLD_BYTES, type ServeFlags } from './flags';
import { createLogger, type Logger } from './logger';
import { createServer, listen, mtlsCredentials } from './server';

/** The call process's entry (fn/main.ts calls it in the child process call-process.ts starts). */
export { callProcessMain } from './call-process-main';

const SHUTDOWN_GRACE_MS = 10_000;

export function serveMain(args: string[]): void {
  let flags: ServeFlags;
  try {
    flags = parseServeFlags(args);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    process.stderr.write(`fn.js serve: ${e.message}\n${USAGE}`);
    process.exitCode = 1;
    return;
  }
  if (flags.help) {
    process.stdout.write(USAGE);
    return;
  }
  const logger = createLogger(flags.debug);
  start(flags, logger).catch((e: Error) => {
    logger.error('cannot start', { error: e.message });
    process.exit(1);
  });
}

async function start(flags: ServeFlags, logger: Logger): Promise<void> {
  let credentials: grpc.ServerCredentials;
  if (flags.insecure) {
    credentials = grpc.ServerCredentials.createInsecure();
  } else if (flags.tlsServerCertsDir) {
    credentials = mtlsCredentials(flags.tlsServerCertsDir);
  } else {
    throw new Error('no TLS certificates: set --tls-server-certs-dir or TLS_SERVER_CERTS_DIR (tls.crt, tls.key, ca.crt), or pass --insecure to serve plaintext');
  }

  const { server, close } = createServer({
    address: flags.address,
    credentials,
    maxRecvMessageBytes: flags.maxRecvMessageBytes,
    ttlMs: flags.ttlMs,
    logger,
    maxConcurrentCalls: flags.maxConcurrentCalls,
    maxInflightBytes: flags.maxInflightBytes,
    maxCallMemoryMb: flags.maxCallMemoryMb,
    callProcessThresholdBytes: CALL_PROCESS_THRESHOLD_BYTES,
    // The call process runs this same bundle (fn/main.ts recognises it by its environment).
    callProcessScript: require.main?.filename ?? process.argv[1]!,
  });
  const port = await listen(server, flags.address, credentials);
  const host = flags.address.startsWith('unix:') ? flags.address : flags.address.replace(/:\d+$/, '');
  logger.info('serving', {
    address: flags.address.startsWith('unix:') ? host : `${host}:${port}`,
    port,
    tls: flags.insecure ? 'none' : 'mutual',
    maxRecvMessageBytes: flags.maxRecvMessageBytes,
    maxConcurrentCalls: flags.maxConcurrentCalls,
    maxInflightBytes: flags.maxInflightBytes,
    maxCallMemoryMb: flags.maxCallMemoryMb,
    ttl: `${flags.ttlMs / 1000}s`,
  });

  process.on('uncaughtException', (e) => logger.error('uncaught exception', { error: e.message, stack: e.stack }));
  process.on('unhandledRejection', (e) => logger.error('unhandled rejection', { error: String(e) }));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal: stopping now', { signal });
      server.forceShutdown();
      close();
      process.exit(0);
    }
    stopping = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.warn('in-flight calls did not finish in time; closing them', { graceMs: SHUTDOWN_GRACE_MS });
      server.forceShutdown();
      close();
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    server.tryShutdown((err) => {
      close();
      if (err) logger.warn('shutdown', { error: err.message });
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
