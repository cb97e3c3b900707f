import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { AdvancedPayment, MercadoPagoConfig, MercadoPagoError, Order } from 'mercadopago';
// The Node SDK has no base-URL option and no pluggable HTTP client (it calls the global fetch):
// its one base URL is this static, read on every request (docs/clients.md).
import { AppConfig } from 'mercadopago/dist/utils/config';
import { locateGo, runGo } from '../../scripts/lib/cluster/go-command';
import { repoRoot } from '../../scripts/lib/paths';
import { installPythonTool, type PythonTool } from '../../scripts/lib/python-tool';

/** What one SDK call came to, after the caller's own retries of "still working". */
export interface SdkAnswer {
  status: number;
  /** The parsed body; the Node SDK's typed errors keep only `message`, `error`, `status` and `cause`. */
  body: unknown;
  /** The SDK's typed error class for a non-2xx answer (`MPIdempotencyError` …), else null. */
  error: string | null;
  /** How many "still working" answers (423, or Wallet Connect's 409 `401001`) were retried after Retry-After. */
  locked: number;
}

/** One official SDK, pointed at the orchestrator as docs/clients.md shows. */
export interface SdkDriver {
  name: string;
  /** The SDK's exception for `409 idempotency_key_already_used`: Java has one class for every status. */
  keyReuseError: string;
  createOrder(body: unknown, key: string): Promise<SdkAnswer>;
  processOrder(orderId: string, key: string): Promise<SdkAnswer>;
}

/** An SDK whose advanced payment request can carry a Wallet Connect payment (`wallet_payment`, `payer.token`). */
export interface WalletConnectSdkDriver extends SdkDriver {
  createAdvancedPayment(body: unknown, key: string): Promise<SdkAnswer>;
}

/**
 * docs/api.md, "What a client should do": after a 423 (or Wallet Connect's 409 `401001`) wait
 * Retry-After and send the same request with the same key, a bounded number of times; the last
 * "still working" answer is returned when the bound is reached.
 */
export const MAX_LOCKED_ANSWERS = 10;
/**
 * The Node SDK's typed errors drop the headers (it reads Retry-After only for 429), so a Node
 * checkout waits the orchestrator's documented Retry-After: 1 (docs/api.md, step 4).
 */
const ORCHESTRATOR_RETRY_AFTER_MS = 1_000;

export function nodeSdk(apiUrl: string, accessToken: string): WalletConnectSdkDriver {
  // Mutable at run time although typed readonly, and process-wide: every client in the process
  // talks to the orchestrator.
  Object.assign(AppConfig, { BASE_URL: apiUrl });
  // A config per call: the SDK copies each call's requestOptions into its config for good
  // (sdk-nodejs issue #481), so a shared one would send one call's key with the next.
  const config = () => new MercadoPagoConfig({ accessToken });
  // An explicit key always: without one the SDK sends a random key, and a retry becomes a second
  // payment. Its own retries (429, 5xx, network errors) keep the key it was given.
  const call = (send: (requestOptions: { idempotencyKey: string }) => Promise<object>, key: string) =>
    untilAnswered(
      async () => {
        try {
          const { api_response, ...body } = (await send({ idempotencyKey: key })) as { api_response: { status: number } };
          return { status: api_response.status, body, error: null };
        } catch (error) {
          if (!(error instanceof MercadoPagoError)) throw error;
          return { status: error.status, body: { message: error.message, error: error.error, cause: error.causes }, error: error.name };
        }
      },
      () => ORCHESTRATOR_RETRY_AFTER_MS,
    );
  return {
    name: 'Node (npm mercadopago)',
    keyReuseError: 'MPIdempotencyError',
    createOrder: (body, key) => call((requestOptions) => new Order(config()).create({ body: body as never, requestOptions }), key),
    processOrder: (orderId, key) => call((requestOptions) => new Order(config()).process({ id: orderId, requestOptions }), key),
    createAdvancedPayment: (body, key) => call((requestOptions) => new AdvancedPayment(config()).create({ body: body as never, requestOptions }), key),
  };
}

async function untilAnswered(send: () => Promise<Omit<SdkAnswer, 'locked'>>, retryAfterMs: () => number): Promise<SdkAnswer> {
  for (let locked = 0; ; locked++) {
    const answer = await send();
    if (!stillWorking(answer) || locked === MAX_LOCKED_ANSWERS) return { ...answer, locked };
    await sleep(retryAfterMs());
  }
}

/** Orders' 423 `resource_locked`, or Wallet Connect's 409 with cause `401001` (docs/api.md). */
function stillWorking({ status, body }: Omit<SdkAnswer, 'locked'>): boolean {
  const causes = (body as { cause?: { code?: string }[] } | null)?.cause ?? [];
  return status === 423 || (status === 409 && causes.some((cause) => cause.code === '401001'));
}

/** PyPI `mercadopago`, pinned, installed like the project's other Python tools. */
export const PYTHON_SDK: PythonTool = { folder: 'mercadopago-python', project: 'mercadopago', version: '3.6.0' };
const execFileAsync = promisify(execFile);
const PYTHON_SCRIPT = join(__dirname, 'mercadopago_python.py');
/** A call of the Python or Java program: one SDK request, plus its own retries after Retry-After. */
const CALL_TIMEOUT_MS = 60_000;

/** The Python SDK, driven through test/clients/mercadopago_python.py (one process per call). */
export function pythonSdk(apiUrl: string, accessToken: string): WalletConnectSdkDriver {
  const call = (operation: string, argumentsJson: object) => runPython(apiUrl, accessToken, operation, argumentsJson);
  return {
    name: 'Python (PyPI mercadopago)',
    keyReuseError: 'MPIdempotencyError',
    createOrder: (body, key) => call('create_order', { body, key }),
    processOrder: (orderId, key) => call('process_order', { order_id: orderId, key }),
    createAdvancedPayment: (body, key) => call('create_advanced_payment', { body, key }),
  };
}

/** The SDK's folder under .tools/, installed with pip on first use; throws when pip could not. */
export function installPythonSdk(): string {
  const directory = installPythonTool(PYTHON_SDK, 'the Python SDK is not installed yet');
  if (directory === null) throw new Error(`pip could not install ${PYTHON_SDK.project}==${PYTHON_SDK.version} (see its output above)`);
  return directory;
}

async function runPython(apiUrl: string, accessToken: string, operation: string, argumentsJson: object): Promise<SdkAnswer> {
  // A non-zero exit rejects with the script's stderr (a Python traceback names what failed).
  const { stdout } = await execFileAsync('python3', [PYTHON_SCRIPT, apiUrl, accessToken, operation, JSON.stringify(argumentsJson)], {
    env: { ...process.env, PYTHONPATH: installPythonSdk() },
    timeout: CALL_TIMEOUT_MS,
  });
  return JSON.parse(stdout) as SdkAnswer;
}

const JAVA_PROJECT = join(__dirname, 'java');
const JAVA_SOURCES = [join(JAVA_PROJECT, 'pom.xml'), join(JAVA_PROJECT, 'src/main/java/clients/MercadoPagoJava.java')];
/** The build and Maven's downloads, git-ignored; rebuilt when the project's files change. */
const JAVA_BUILD = join(repoRoot, '.tools/sdk-java');
const JAVA_CLASSPATH = join(JAVA_BUILD, 'classpath.txt');

/**
 * The Java SDK, driven through the small Maven project in test/clients/java (one JVM per call).
 * Orders only: its AdvancedPaymentCreateRequest is the split-payment request (payments,
 * disbursements) and has no field for a Wallet Connect payment (docs/clients.md).
 */
export function javaSdk(apiUrl: string, accessToken: string): SdkDriver {
  const call = async (operation: string, argumentsJson: object): Promise<SdkAnswer> => {
    const classpath = `${join(JAVA_BUILD, 'classes')}:${readFileSync(JAVA_CLASSPATH, 'utf8').trim()}`;
    const { stdout } = await execFileAsync('java', ['-cp', classpath, 'clients.MercadoPagoJava', apiUrl, accessToken, operation, JSON.stringify(argumentsJson)], {
      timeout: CALL_TIMEOUT_MS,
    });
    return JSON.parse(stdout) as SdkAnswer;
  };
  return {
    name: 'Java (Maven com.mercadopago:sdk-java)',
    keyReuseError: 'MPApiException',
    createOrder: (body, key) => call('create_order', { body, key }),
    processOrder: (orderId, key) => call('process_order', { order_id: orderId, key }),
  };
}

/** Compiles test/clients/java into .tools/sdk-java once (about 35 s cold, Maven's downloads included); throws when Maven fails. */
export async function buildJavaSdkClient(): Promise<void> {
  await rebuildWhenChanged(JAVA_SOURCES, JAVA_BUILD, (buildDir) => {
    const maven = spawnSync(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        join(JAVA_PROJECT, 'pom.xml'),
        `-Dmaven.repo.local=${join(buildDir, 'repository')}`,
        `-DoutputFolder=${buildDir}`,
        'compile',
        'dependency:build-classpath',
        `-Dmdep.outputFile=${join(buildDir, 'classpath.txt')}`,
      ],
      { stdio: 'inherit' },
    );
    if (maven.status !== 0) throw new Error(`mvn could not build ${JAVA_PROJECT} (see its output above)`);
  });
}

/**
 * Runs `build` unless `buildDir`'s stamp says it already ran on these very `sources` in this very
 * folder, resolved: the Java build's classpath holds absolute paths, so a checkout that moved (or a
 * `.tools` shared through a symlink from a checkout since removed) must build again. The stamp is
 * written only after a build that succeeded, so a failed build is tried again next time.
 */
async function rebuildWhenChanged(sources: readonly string[], buildDir: string, build: (realBuildDir: string) => void | Promise<void>): Promise<void> {
  mkdirSync(buildDir, { recursive: true });
  const realBuildDir = realpathSync(buildDir);
  const stamp = join(realBuildDir, 'sources.sha256');
  const hash = createHash('sha256').update(realBuildDir);
  for (const file of sources) hash.update(readFileSync(file));
  const digest = hash.digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  await build(realBuildDir);
  writeFileSync(stamp, digest);
}

const GO_PROJECT = join(__dirname, 'go');
const GO_SOURCES = ['go.mod', 'go.sum', 'main.go'].map((file) => join(GO_PROJECT, file));
/** The built program, git-ignored; Go's downloads stay in its own module cache. */
const GO_BUILD = join(repoRoot, '.tools/sdk-go');
const GO_PROGRAM = join(GO_BUILD, 'mercadopago-go');

/**
 * The Go SDK, driven through the small program in test/clients/go (one process per call). Orders
 * only: the SDK has no client for advanced payments, so no Wallet Connect (docs/clients.md).
 */
export function goSdk(apiUrl: string, accessToken: string): SdkDriver {
  const call = async (operation: string, argumentsJson: object): Promise<SdkAnswer> => {
    const { stdout } = await execFileAsync(GO_PROGRAM, [apiUrl, accessToken, operation, JSON.stringify(argumentsJson)], { timeout: CALL_TIMEOUT_MS });
    return JSON.parse(stdout) as SdkAnswer;
  };
  return {
    name: 'Go (github.com/mercadopago/sdk-go)',
    keyReuseError: 'mperror.ResponseError',
    createOrder: (body, key) => call('create_order', { body, key }),
    processOrder: (orderId, key) => call('process_order', { order_id: orderId, key }),
  };
}

/**
 * Builds test/clients/go into .tools/sdk-go once. Only the Go module proxy is needed, and go.sum is
 * committed, so `-mod=readonly` holds: the build fails rather than change go.mod or go.sum.
 */
export async function buildGoSdkClient(): Promise<void> {
  await rebuildWhenChanged(GO_SOURCES, GO_BUILD, async () => {
    // A failure carries go's last lines (and says when the module proxy was the trouble).
    await runGo(locateGo(), ['build', '-mod=readonly', '-buildvcs=false', '-o', GO_PROGRAM, '.'], { cwd: GO_PROJECT, output: () => undefined });
  });
}
