import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTemporalCluster, type TemporalCluster } from '../../scripts/lib/cluster/temporal-cluster';
import { freePort } from '../../scripts/lib/free-port';
import { appEntryPoints, repoRoot } from '../../scripts/lib/paths';
import { spawnPrefixed, stopGracefully, type Supervised } from '../../scripts/lib/processes';
import { makeTestCertificates, type CertificateFiles, type TestCertificates } from '../support/certificates';
import { eventually } from '../support/temporal-assertions';

/** A name only the server's certificate holds: connecting to 127.0.0.1 works only through TEMPORAL_TLS_SERVER_NAME. */
const SERVER_NAME = 'temporal.test';
const unbuilt = process.env.TEST_TEMPORAL_SERVER_UNBUILT;
/** README, "Tests": without the real server this suite fails, unless this variable (never set by CI) says to skip it. */
const OPT_OUT = 'TEST_SKIP_UNBUILT_TEMPORAL_SERVER';
const skipped = unbuilt !== undefined && process.env[OPT_OUT] === '1';
if (skipped) console.warn(`Skipping the TLS tests (${OPT_OUT}=1): the real Temporal server could not be built.\n${unbuilt}`);

(skipped ? describe.skip : describe)('the apps and scripts against a Temporal server that requires mutual TLS', () => {
  let directory: string;
  let certificates: TestCertificates;
  let cluster: TemporalCluster;
  const output: string[] = [];
  const running: Supervised[] = [];

  beforeAll(async () => {
    if (unbuilt !== undefined) throw new Error(`the real Temporal server could not be built, so this suite cannot run (${OPT_OUT}=1 skips it instead):\n${unbuilt}`);
    directory = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
    certificates = makeTestCertificates(directory, SERVER_NAME);
    const { server, ca } = certificates;
    cluster = await startTemporalCluster({
      port: await freePort(),
      namespaces: ['default'],
      retentionMs: 24 * 60 * 60 * 1000,
      ui: null,
      tls: { ca: ca.cert, cert: server.cert, key: server.key, serverName: SERVER_NAME },
      output: (line) => output.push(line),
    });
  }, 300_000);
  afterAll(async () => {
    for (const process of running) await stopGracefully(process, 5_000);
    await cluster?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  /** The connection variables for a client holding `certificate`, or none. */
  const connection = (certificate: CertificateFiles | null): NodeJS.ProcessEnv => ({
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_TLS_CA: certificates.ca.cert,
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    ...(certificate === null ? {} : { TEMPORAL_TLS_CERT: certificate.cert, TEMPORAL_TLS_KEY: certificate.key }),
  });

  const appEnvironment = (certificate: CertificateFiles | null, own: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    ...connection(certificate),
    UPSTREAM_ACCESS_TOKEN: 'APP_USR-unused',
    WORKFLOW_BUNDLE_PATH: join(repoRoot, 'dist/workflow-bundle.js'),
    ...own,
  });

  const start = (name: string, entryPoint: string, env: NodeJS.ProcessEnv): Supervised => {
    const app = spawnPrefixed(name, process.execPath, [entryPoint], { env, cwd: tmpdir(), output: (line) => output.push(line) });
    running.push(app);
    return app;
  };

  const status = (url: string) =>
    fetch(url).then(
      (answer) => answer.status,
      () => null,
    );

  const registerSearchAttributes = (certificate: CertificateFiles | null) =>
    spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/register-search-attributes.js')], {
      env: { PATH: process.env.PATH, ...connection(certificate), TEMPORAL_NAMESPACE: 'default' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('let a script in with the client certificate the CA signed, and refuse it without one or with a stranger', () => {
    const trusted = registerSearchAttributes(certificates.client);
    const anonymous = registerSearchAttributes(null);
    const stranger = registerSearchAttributes(certificates.stranger);

    expect({ status: trusted.status, stdout: trusted.stdout }).toEqual({ status: 0, stdout: 'search attributes already registered in "default"\n' });
    expect(anonymous.status).toBe(1);
    expect(anonymous.stderr).toContain(`cannot register search attributes at ${cluster.address}`);
    expect(stranger.status).toBe(1);
  });

  it('let the worker poll with the right certificate: its readiness asks Temporal over TLS', async () => {
    const port = await freePort();
    start('worker', appEntryPoints.worker, appEnvironment(certificates.client, { WORKER_HEALTH_PORT: String(port) }));

    expect(
      await eventually(
        () => status(`http://127.0.0.1:${port}/health/ready`),
        (code) => code === 200,
        60_000,
      ),
    ).toBe(200);
  });

  it('refuse the worker without a client certificate: it cannot start', async () => {
    const worker = start('worker-without-certificate', appEntryPoints.worker, appEnvironment(null, {}));

    expect(await worker.exited).toBe(1);
  });

  it("let the API's client and its hosted worker in with the right certificate, and keep it unready without one", async () => {
    const [trustedPort, trustedOperatorPort, anonymousPort, anonymousOperatorPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const api = (certificate: CertificateFiles | null, port: number, operatorPort: number) =>
      appEnvironment(certificate, { PORT: String(port), OPERATOR_PORT: String(operatorPort), API_TOKENS: 'checkout:tls-test-token' });
    start('api', appEntryPoints.api, api(certificates.client, trustedPort, trustedOperatorPort));
    start('api-without-certificate', appEntryPoints.api, api(null, anonymousPort, anonymousOperatorPort));

    expect(
      await eventually(
        () => status(`http://127.0.0.1:${trustedPort}/health/ready`),
        (code) => code === 200,
        60_000,
      ),
    ).toBe(200);
    expect(
      await eventually(
        () => Promise.resolve(output.some((line) => line.startsWith('[api]') && line.includes('hosting workers'))),
        (hosting) => hosting,
      ),
    ).toBe(true);
    expect(
      await eventually(
        () => status(`http://127.0.0.1:${anonymousPort}/health/ready`),
        (code) => code === 503,
        60_000,
      ),
    ).toBe(503);
  });
});
