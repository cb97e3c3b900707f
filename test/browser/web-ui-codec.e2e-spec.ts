import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort, freePorts } from '../../scripts/lib/free-port';
import { repoRoot } from '../../scripts/lib/paths';
import { stopGracefully, type Supervised } from '../../scripts/lib/processes';
import { exampleEnvironment } from '../../scripts/lib/stack/local-environment';
import { httpUrl } from '../../scripts/lib/stack/stack-addresses';
import { Stack } from '../../scripts/lib/stack/stack';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import { localTemporal } from '../../scripts/start-temporal';
import { ApiClient, newKey } from '../support/api-client';
import { SimulatorClient } from '../support/simulator-client';
import { OPERATOR_TOKEN, TestStack } from '../support/stack';
import { suiteDevServerOptions } from '../support/suite-dev-server';

const SCREENSHOTS = join(repoRoot, 'artifacts/browser');
/** Every browser wait is bounded by this, well inside the test's own timeout. */
const STEP_TIMEOUT_MS = 20_000;
/** Flags that let Debian's chromium run headless in a container, quietly and offline. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** What the Web UI shows over a run whose payloads its codec endpoint did not decode. */
const CODEC_BANNER = 'Codec Server could not connect';

/** Chromium with a fresh profile of its own, every wait bounded by STEP_TIMEOUT_MS. */
async function launchBrowser(): Promise<{ browser: BrowserContext; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'codec-browser-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: STEP_TIMEOUT_MS,
  });
  browser.setDefaultTimeout(STEP_TIMEOUT_MS);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return { browser, profile };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * `npm start`'s stack from .env.example's values alone (a fresh clone's), its own dev server in
 * memory with the Web UI, moved to free ports: every address the example names (ports, the UI's
 * codec endpoint and origin, the simulator's URLs) follows, nothing else changes.
 */
async function startLocalStack(): Promise<{ stack: Stack; uiUrl: string; example: NodeJS.ProcessEnv }> {
  const example = exampleEnvironment();
  const ports = await freePorts('api', 'operator', 'simulator', 'workerHealth', 'temporal', 'ui');
  const host = example.HOST!;
  const [apiUrl, operatorUrl, uiUrl] = [httpUrl(host, ports.api), httpUrl(host, ports.operator), httpUrl(host, ports.ui)];
  const environment: NodeJS.ProcessEnv = {
    ...example,
    PATH: process.env.PATH,
    PORT: String(ports.api),
    OPERATOR_PORT: String(ports.operator),
    SIMULATOR_PORT: String(ports.simulator),
    WORKER_HEALTH_PORT: String(ports.workerHealth),
    TEMPORAL_ADDRESS: `${host}:${ports.temporal}`,
    TEMPORAL_UI_PORT: String(ports.ui),
    TEMPORAL_UI_CODEC_ENDPOINT: `${operatorUrl}/codec`,
    CODEC_ALLOWED_ORIGINS: uiUrl,
    UPSTREAM_BASE_URL: httpUrl(host, ports.simulator),
    SIMULATOR_NOTIFICATION_URL: `${apiUrl}/webhooks/mercadopago`,
    // The apps run away from the repository, so that a developer's .env is not read.
    WORKFLOW_BUNDLE_PATH: join(repoRoot, example.WORKFLOW_BUNDLE_PATH!),
  };
  // Every port of the example moved: a value still naming one would reach another stack (npm start's).
  const examplePorts = ['PORT', 'OPERATOR_PORT', 'SIMULATOR_PORT', 'WORKER_HEALTH_PORT'].map((name) => example[name]!);
  examplePorts.push(example.TEMPORAL_ADDRESS!.split(':')[1]!, new URL(example.CODEC_ALLOWED_ORIGINS!).port);
  const stale = Object.entries(environment).filter(([, value]) => examplePorts.some((port) => new RegExp(`:${port}(?!\\d)`).test(value ?? '')));
  expect(stale.map(([name]) => name)).toEqual([]);
  const temporal = localTemporal(environment);
  const stack = await Stack.start({
    environment,
    temporal: { ...temporal, store: 'memory' },
    cwd: tmpdir(),
    liveOutput: process.env.E2E_VERBOSE !== undefined,
    keptLines: Infinity,
    ownProcessGroups: false,
  });
  return { stack, uiUrl: temporal.uiUrl, example };
}

describe('on the local stack, the Web UI shows a run decrypted at first sight', () => {
  let local: Awaited<ReturnType<typeof startLocalStack>>;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    local = await startLocalStack();
    ({ browser, profile } = await launchBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    if (local !== undefined && process.env.E2E_VERBOSE !== undefined) console.log(local.stack.recentOutput().join('\n'));
    await local?.stack.stop();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it("opens a run's input and result decrypted, with no sign-in and no codec banner", async () => {
    const { stack, uiUrl, example } = local;
    const { host, apiPort, simulatorPort } = stack.addresses;
    const orderId = await new SimulatorClient(httpUrl(host, simulatorPort), example.UPSTREAM_ACCESS_TOKEN).createOrder('APRO');
    const key = newKey();
    const checkoutToken = example.API_TOKENS!.split(':')[1]!;
    expect((await new ApiClient(httpUrl(host, apiPort)).processOrder(orderId, { key, token: checkoutToken })).status).toBe(200);
    const page = await browser.newPage();

    // Straight to the run from the run list, as a newcomer would: no codec sign-in, no UI settings.
    await page.goto(`${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(`OrderId = "${orderId}"`)}`);
    await page.getByRole('link', { name: key }).click();
    // The input (the request it answers) and the result (Mercado Pago's order, processed), decrypted.
    const input = page.getByText(`/v1/orders/${orderId}/process`).first();
    const result = page.getByText('"accredited"').first();
    // The page also holds the text in a hidden element: the banner is its visible one.
    const banner = page.getByText(CODEC_BANNER).filter({ visible: true });
    // Whichever the page comes to show first, kept in the screenshot: the payloads or the banner.
    await input.or(banner).first().waitFor();
    await screenshot(page, 'local-run-decrypted');
    expect(await banner.count()).toBe(0);
    await result.waitFor();
    expect(await input.isVisible()).toBe(true);
    expect(await result.isVisible()).toBe(true);
    expect(await page.getByText('binary/encrypted').count()).toBe(0);
  });
});

describe('where the codec wants a sign-in (production, compose), an operator signs in, then reads a run decrypted in the Web UI', () => {
  let temporal: Supervised;
  let stack: TestStack;
  let uiUrl: string;
  let browser: BrowserContext;
  let profile: string;
  let anotherSite: { server: Server; url: string };
  const temporalOutput: string[] = [];

  beforeAll(async () => {
    // The suite's dev server is headless: this one has the Web UI, pointed at the API's codec.
    const [temporalPort, uiPort, operatorPort] = [await freePort(), await freePort(), await freePort()];
    uiUrl = `http://127.0.0.1:${uiPort}`;
    temporal = await startTemporalDevServer({
      ...suiteDevServerOptions(temporalPort, (line) => temporalOutput.push(line)),
      uiPort,
      uiCodecEndpoint: `http://127.0.0.1:${operatorPort}/codec`,
    });
    stack = await TestStack.start({ temporalAddress: `127.0.0.1:${temporalPort}`, operatorPort, api: { CODEC_ALLOWED_ORIGINS: uiUrl } });
    ({ browser, profile } = await launchBrowser());
    anotherSite = await startAnotherSite();
  });

  afterAll(async () => {
    anotherSite?.server.close();
    await browser?.close();
    await stack?.stop();
    if (temporal !== undefined) await stopGracefully(temporal, 5_000);
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('finds the run by its order id and shows its input decrypted', async () => {
    const simulator = new SimulatorClient(stack.simulatorUrl);
    const orderId = await simulator.createOrder('APRO');
    const key = newKey();
    expect((await new ApiClient(stack.apiUrl).processOrder(orderId, { key })).status).toBe(200);
    const page = await browser.newPage();

    // 1. Sign in to the codec with the operator token.
    await page.goto(`${stack.operatorUrl}/codec/login`);
    await page.getByLabel('Operator token').fill(OPERATOR_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signed-in').waitFor();
    await screenshot(page, '1-codec-signed-in');

    // 2. In the Web UI's codec settings, send credentials along (the dev server cannot set that itself).
    await page.goto(`${uiUrl}/namespaces/default/workflows`);
    await page.getByTestId('data-encoder-status-configured').click();
    await page.locator('#use-local-endpoint-radio').check();
    await page.getByTestId('data-encoder-endpoint-input').fill(`${stack.operatorUrl}/codec`);
    await page.getByTestId('data-encoder-include-credentials').click();
    await screenshot(page, '2-codec-settings');
    await page.getByRole('button', { name: 'Apply' }).click();

    // 3. Find the run by its order id.
    await page.goto(`${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(`OrderId = "${orderId}"`)}`);
    const run = page.getByRole('link', { name: key });
    await run.waitFor();
    expect(await page.getByRole('link', { name: /^e2e-/ }).count()).toBe(1);
    await screenshot(page, '3-found-by-order-id');

    // 4. Open it: the input shows in plain text, decrypted by the codec.
    await run.click();
    const requestPath = page.getByText(`/v1/orders/${orderId}/process`).first();
    await requestPath.waitFor();
    await screenshot(page, '4-input-decrypted');
    expect(await requestPath.isVisible()).toBe(true);
    expect(await page.getByText('binary/encrypted').count()).toBe(0);
  });

  it('is not signed in or out by a form that a page of another site posts', async () => {
    const page = await browser.newPage();
    const signedIn = async () => {
      await page.goto(`${stack.operatorUrl}/codec/login`);
      return (await page.locator('#signed-in').count()) === 1;
    };
    /** The other site's page holds a form aimed at the codec; the operator presses its button. */
    const postFromAnotherSite = async (path: 'login' | 'logout', fields: Record<string, string>) => {
      const lure = new URL(anotherSite.url);
      lure.search = new URLSearchParams({ action: `${stack.operatorUrl}/codec/${path}`, ...fields }).toString();
      await page.goto(lure.href);
      await Promise.all([page.waitForURL(`${stack.operatorUrl}/codec/**`), page.getByRole('button', { name: 'Continue' }).click()]);
      await screenshot(page, `5-cross-site-${path}`);
    };

    if (!(await signedIn())) {
      await page.getByLabel('Operator token').fill(OPERATOR_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await postFromAnotherSite('logout', {});
    expect(await signedIn()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Operator token').waitFor();
    // Login CSRF: another site signs the browser in with a token of its choosing (here the only one there is).
    await postFromAnotherSite('login', { token: OPERATOR_TOKEN });
    expect(await signedIn()).toBe(false);
  });
});

/**
 * A page on another site: `localhost` is not the same site as `127.0.0.1`. It shows a form that
 * posts its query parameters (but `action`) to `action`, as a page luring an operator would.
 */
async function startAnotherSite(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const fields = [...query].filter(([name]) => name !== 'action').map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><form method="post" action="${query.get('action') ?? ''}">${fields.join('')}<button>Continue</button></form>`);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://localhost:${port}/` };
}
