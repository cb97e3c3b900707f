import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../../scripts/lib/free-port';
import { repoRoot } from '../../scripts/lib/paths';
import { stopGracefully, type Supervised } from '../../scripts/lib/processes';
import { startTemporalDevServer } from '../../scripts/lib/temporal-dev-server';
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

describe('an operator finds a payment in the Temporal Web UI and reads its payloads decrypted', () => {
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
    profile = mkdtempSync(join(tmpdir(), 'codec-browser-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: STEP_TIMEOUT_MS,
    });
    browser.setDefaultTimeout(STEP_TIMEOUT_MS);
    mkdirSync(SCREENSHOTS, { recursive: true });
    anotherSite = await startAnotherSite();
  });

  afterAll(async () => {
    anotherSite?.server.close();
    await browser?.close();
    await stack?.stop();
    if (temporal !== undefined) await stopGracefully(temporal, 5_000);
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

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
