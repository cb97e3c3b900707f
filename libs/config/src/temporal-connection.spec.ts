import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCertificates, type TestCertificates } from '../../../test/support/certificates';
import { ConfigError, loadConfig } from './load-config';
import { temporalConnectionOptions, temporalConnectionVariables } from './temporal-connection';

const optionsFor = (environment: NodeJS.ProcessEnv) => temporalConnectionOptions(loadConfig(temporalConnectionVariables, environment));

/** The problems a ConfigError lists, or a failure if the attempt succeeds. */
function problemsOf(attempt: () => unknown): readonly string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Temporal connection options', () => {
  let directory: string;
  let certificates: TestCertificates;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'temporal-connection-'));
    certificates = makeTestCertificates(directory, 'temporal.test');
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('connect in plain text to the default address when nothing is set', () => {
    expect(optionsFor({})).toEqual({ address: '127.0.0.1:7233' });
  });

  it('carry the client certificate, its key, the CA and the server name as read from the files', () => {
    const options = optionsFor({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: certificates.client.cert,
      TEMPORAL_TLS_KEY: certificates.client.key,
      TEMPORAL_TLS_CA: certificates.ca.cert,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
    });

    expect(options).toEqual({
      address: 'temporal.internal:7233',
      tls: {
        serverNameOverride: 'temporal.test',
        serverRootCACertificate: readFileSync(certificates.ca.cert),
        clientCertPair: { crt: readFileSync(certificates.client.cert), key: readFileSync(certificates.client.key) },
      },
    });
  });

  it('turn TLS on for an API key (Temporal Cloud) and for a CA alone, trusting the system CAs unless a CA is given', () => {
    expect(optionsFor({ TEMPORAL_API_KEY: 'cloud-key' })).toEqual({ address: '127.0.0.1:7233', tls: {}, apiKey: 'cloud-key' });
    expect(optionsFor({ TEMPORAL_TLS_CA: certificates.ca.cert })).toEqual({ address: '127.0.0.1:7233', tls: { serverRootCACertificate: readFileSync(certificates.ca.cert) } });
  });

  it('refuse a certificate without its key, and a key without its certificate', () => {
    expect(problemsOf(() => optionsFor({ TEMPORAL_TLS_CERT: certificates.client.cert }))).toEqual([
      'TEMPORAL_TLS_KEY is required with TEMPORAL_TLS_CERT: a client certificate and its private key go together',
    ]);
    expect(problemsOf(() => optionsFor({ TEMPORAL_TLS_KEY: certificates.client.key }))).toEqual([
      'TEMPORAL_TLS_CERT is required with TEMPORAL_TLS_KEY: a client certificate and its private key go together',
    ]);
  });

  it("refuse another certificate's key, naming the files and never showing the key", () => {
    const problems = problemsOf(() => optionsFor({ TEMPORAL_TLS_CERT: certificates.client.cert, TEMPORAL_TLS_KEY: certificates.stranger.key }));

    expect(problems).toEqual([`TEMPORAL_TLS_KEY is invalid: ${certificates.stranger.key} is not the private key of the certificate in ${certificates.client.cert}`]);
  });

  it('name each unreadable or wrong file at start-up, with its variable, and never echo what a file holds', () => {
    const missing = join(directory, 'absent.pem');
    const problems = problemsOf(() => optionsFor({ TEMPORAL_TLS_CA: missing, TEMPORAL_TLS_CERT: certificates.client.key, TEMPORAL_TLS_KEY: certificates.client.cert }));

    expect(problems).toEqual([
      `TEMPORAL_TLS_CERT is invalid: ${certificates.client.key} holds no PEM certificate`,
      `TEMPORAL_TLS_KEY is invalid: ${certificates.client.cert} holds no PEM private key`,
      `TEMPORAL_TLS_CA is invalid: cannot read ${missing} (ENOENT); it must be the path of a PEM file`,
    ]);
    expect(problems.join('\n')).not.toContain(readFileSync(certificates.client.key, 'utf8').split('\n')[1]);
  });
});
