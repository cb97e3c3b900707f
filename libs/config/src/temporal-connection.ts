import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';
import { ConfigError } from './load-config';
import { env } from './variables';

/** A PEM file as read at start-up: its bytes for the SDK, and what they parse to, for checks. */
interface PemFile<Parsed> {
  path: string;
  pem: Buffer;
  parsed: Parsed;
}

/**
 * A variable naming a PEM file, read and parsed at start-up: a missing file or a file that is not
 * what it should be is reported then, by variable and path, rather than as a failed TLS handshake
 * minutes later. The contents are never echoed (a key file holds a secret).
 */
const pemFile = <Parsed>(what: string, parse: (pem: Buffer) => Parsed) =>
  z
    .string()
    .min(1)
    .transform((path, context): PemFile<Parsed> => {
      let pem: Buffer;
      try {
        pem = readFileSync(path);
      } catch (error) {
        context.addIssue({ code: 'custom', message: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); it must be the path of a PEM file` });
        return z.NEVER;
      }
      try {
        return { path, pem, parsed: parse(pem) };
      } catch {
        context.addIssue({ code: 'custom', message: `${path} holds no PEM ${what}` });
        return z.NEVER;
      }
    });

/**
 * How to reach Temporal, read by every process that connects to it: the API (its client and its
 * hosted worker), the worker and the operators' scripts. Certificates and keys are file paths,
 * as Temporal's own tools take them and as secret stores mount them; TLS is on as soon as any of
 * the TLS variables or an API key is set (docs/operations.md, "Connecting to a secured Temporal").
 */
export const temporalConnectionVariables = {
  TEMPORAL_ADDRESS: env.text('127.0.0.1:7233'),
  /** The client certificate for mutual TLS, with TEMPORAL_TLS_KEY. */
  TEMPORAL_TLS_CERT: pemFile('certificate', (pem) => new X509Certificate(pem)).optional(),
  /** The client certificate's private key. */
  TEMPORAL_TLS_KEY: pemFile('private key', (pem) => createPrivateKey(pem)).optional(),
  /** The CA that signed the server's certificate; unset trusts the system's CAs (Temporal Cloud). */
  TEMPORAL_TLS_CA: pemFile('certificate', (pem) => new X509Certificate(pem)).optional(),
  /** The name the server's certificate must hold, when it is not the host of TEMPORAL_ADDRESS. */
  TEMPORAL_TLS_SERVER_NAME: env.requiredText().optional(),
  /** A Temporal Cloud API key, sent as `Authorization: Bearer …` on every call, over TLS. */
  TEMPORAL_API_KEY: env.requiredText().optional(),
} as const;

/** The Temporal settings shared by the API and the worker: how to connect, and where to work. */
export const temporalVariables = {
  ...temporalConnectionVariables,
  TEMPORAL_NAMESPACE: env.text('default'),
  TEMPORAL_TASK_QUEUE: env.text('payments'),
} as const;

export type TemporalConnectionSettings = z.infer<z.ZodObject<typeof temporalConnectionVariables>>;

/** What both the client's `Connection` and the worker's `NativeConnection` take to reach Temporal. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/**
 * The connection options for validated settings; throws a ConfigError when the settings do not go
 * together (a certificate without its key, or a key of another certificate). Called while a
 * process loads its configuration, so such mistakes stop it at start-up.
 */
export function temporalConnectionOptions(settings: TemporalConnectionSettings): TemporalConnectionOptions {
  const { TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_SERVER_NAME: serverName, TEMPORAL_API_KEY: apiKey } = settings;
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError([
      `${cert === undefined ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'} is required with ${cert === undefined ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'}: a client certificate and its private key go together`,
    ]);
  }
  if (cert !== undefined && key !== undefined && !cert.parsed.checkPrivateKey(key.parsed)) {
    throw new ConfigError([`TEMPORAL_TLS_KEY is invalid: ${key.path} is not the private key of the certificate in ${cert.path}`]);
  }
  const tlsWanted = [cert, ca, serverName, apiKey].some((setting) => setting !== undefined);
  const tls: TLSConfig = {
    ...(serverName === undefined ? {} : { serverNameOverride: serverName }),
    ...(ca === undefined ? {} : { serverRootCACertificate: ca.pem }),
    ...(cert === undefined || key === undefined ? {} : { clientCertPair: { crt: cert.pem, key: key.pem } }),
  };
  return { address, ...(tlsWanted ? { tls } : {}), ...(apiKey === undefined ? {} : { apiKey }) };
}
