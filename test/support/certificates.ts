import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** A certificate and its private key, as PEM files. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/** A throw-away CA with a server and a client certificate it signed, and a client it never signed. */
export interface TestCertificates {
  ca: CertificateFiles;
  server: CertificateFiles;
  client: CertificateFiles;
  /** Signed by a CA of its own, which the server does not trust. */
  stranger: CertificateFiles;
}

/** P-256 keys, valid for a day: what rustls (the SDK) and Go (the server) both accept. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];

function openssl(args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`openssl ${args[0]} failed (the openssl command is needed to make the test's certificates)`, { cause: error });
  }
}

/** `openssl req -x509 -new` for `name` in `directory`, with `subject` and the further arguments given. */
function newCertificate(directory: string, name: string, subject: string, further: readonly string[]): CertificateFiles {
  const files = { cert: join(directory, `${name}.pem`), key: join(directory, `${name}.key`) };
  openssl(['req', '-x509', '-new', ...NEW_KEY, '-keyout', files.key, '-out', files.cert, '-subj', `/CN=${subject}`, ...further]);
  return files;
}

function makeAuthority(directory: string, name: string): CertificateFiles {
  return newCertificate(directory, name, name, ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
}

/** An end-entity certificate (TLS verifiers refuse a CA certificate there) for `dnsName`, signed by `authority`. */
function makeLeaf(directory: string, name: string, dnsName: string, authority: CertificateFiles): CertificateFiles {
  return newCertificate(directory, name, dnsName, [
    '-CA',
    authority.cert,
    '-CAkey',
    authority.key,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    `subjectAltName=DNS:${dnsName}`,
    '-addext',
    'extendedKeyUsage=serverAuth,clientAuth',
  ]);
}

/** Writes a fresh set of certificates into `directory`; the server's names `serverName`. */
export function makeTestCertificates(directory: string, serverName: string): TestCertificates {
  const ca = makeAuthority(directory, 'test-ca');
  return {
    ca,
    server: makeLeaf(directory, 'server', serverName, ca),
    client: makeLeaf(directory, 'client', 'payments-client', ca),
    stranger: makeLeaf(directory, 'stranger', 'payments-client', makeAuthority(directory, 'other-ca')),
  };
}
