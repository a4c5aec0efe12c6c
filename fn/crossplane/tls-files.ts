// Reads and checks the mutual-TLS files before the server starts. grpc-js accepts any bytes for them
// and only fails at each handshake, so a garbage ca.crt used to start a server that logged "mutual TLS"
// and then refused every client. Each problem here is one error naming the file.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';

export interface TlsFiles { ca: Buffer; cert: Buffer; key: Buffer }

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function read(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Every PEM certificate in the file, parsed; at least one. */
function certificates(file: string, bytes: Buffer): crypto.X509Certificate[] {
  const blocks = bytes.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new Error(`${file}: no PEM certificate (-----BEGIN CERTIFICATE-----) in its ${bytes.length} bytes`);
  return blocks.map((block, i) => {
    try {
      return new crypto.X509Certificate(block);
    } catch (e) {
      throw new Error(`${file}: certificate ${i + 1} of ${blocks.length} cannot be parsed: ${(e as Error).message}`);
    }
  });
}

/** tls.crt, tls.key and ca.crt from `dir`, checked: parseable, and the key belongs to the certificate. */
export function readTlsFiles(dir: string): TlsFiles {
  const caFile = path.join(dir, 'ca.crt');
  const certFile = path.join(dir, 'tls.crt');
  const keyFile = path.join(dir, 'tls.key');
  const ca = read(caFile);
  const cert = read(certFile);
  const key = read(keyFile);
  certificates(caFile, ca);
  const [leaf] = certificates(certFile, cert);
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(key);
  } catch (e) {
    throw new Error(`${keyFile}: not a usable private key: ${(e as Error).message}`);
  }
  if (!leaf!.checkPrivateKey(privateKey)) throw new Error(`${keyFile}: this key does not belong to the certificate in ${certFile}`);
  // Last, what the TLS stack itself says of the three together.
  try {
    tls.createSecureContext({ ca, cert, key });
  } catch (e) {
    throw new Error(`${dir}: ca.crt, tls.crt and tls.key are not usable together: ${(e as Error).message}`);
  }
  return { ca, cert, key };
}
