import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { OPENAPI_DOCUMENT_FILE, openApiDocumentText } from '../../apps/api/src/openapi/api-docs';
import { UPSTREAM_EXAMPLE_PREFIX } from '../../apps/api/src/openapi/documented-response';
import { INVALID_BODY_EXAMPLE } from '../../apps/api/src/payments/documented-write-responses';
import { ORDER_ID_PATTERN } from '@app/mercadopago';
import { OPERATOR_ROUTE_PREFIXES } from '../../apps/api/src/operator/operator.module';
import { repoRoot } from '../../scripts/lib/paths';
import { cardOrderBody } from '../../scripts/lib/simulator-orders';
import { ApiClient, firstRefusal, newKey, type ApiAnswer, type ProcessOptions } from '../support/api-client';
import { paymentNotificationBody, randomOrderId, randomPaymentId, sendNotification } from '../support/mercadopago-notifications';
import { documentDrift, documentedOperations, loadOpenApiDocument, ResponseConformance, type DocumentedOperation, type OpenApiDocument } from '../support/openapi-document';
import { generatePythonClient } from '../support/openapi-python-client';
import { SimulatorClient } from '../support/simulator-client';
import { CLIENT_TOKENS, SECOND_MERCHANT, TestStack } from '../support/stack';

/**
 * The document is generated from the code, but what it claims is checked here against the real
 * API, simulator and Temporal: the routes, every example request, and every error example the
 * orchestrator claims as its own.
 */
describe('the OpenAPI document and the running API agree', () => {
  let stack: TestStack;
  let document: OpenApiDocument;
  let api: ApiClient;
  let simulator: SimulatorClient;
  const conformance = new ResponseConformance();

  beforeAll(async () => {
    // Short waits and budget so "still running" and "gave up" can be reached in seconds; the second
    // merchant's client a request rate it soon exceeds, so "too many requests" can be reached too.
    const secondMerchantQuota = { MERCHANT_SECOND_CLIENT_REQUESTS_PER_SECOND: '1', MERCHANT_SECOND_CLIENT_REQUEST_BURST: '1' };
    stack = await TestStack.start({ api: { WAIT_FOR_RESULT_MS: '2000', UPSTREAM_RETRY_BUDGET_MS: '5000', ...secondMerchantQuota } });
    document = await loadOpenApiDocument(stack.apiUrl);
    api = new ApiClient(stack.apiUrl);
    simulator = new SimulatorClient(stack.simulatorUrl);
  });
  afterAll(async () => stack.stop());

  it(`is ${OPENAPI_DOCUMENT_FILE}, byte for byte`, () => {
    // The served JSON laid out as the file is (openApiDocumentText: indentation and a final newline, nothing else).
    const drift = documentDrift(readFileSync(join(repoRoot, OPENAPI_DOCUMENT_FILE), 'utf8'), openApiDocumentText(document));
    expect(drift === null ? null : `${OPENAPI_DOCUMENT_FILE} is not what the API serves: ${drift}. Regenerate it with \`npm run openapi\` and commit it.`).toBeNull();
  });

  it(`serves the Python client generated from ${OPENAPI_DOCUMENT_FILE}: docs/examples/python_client_create_order.py creates an order, replays it and reads its run`, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'python-client-'));
    try {
      const pythonPath = generatePythonClient(join(repoRoot, OPENAPI_DOCUMENT_FILE), directory);
      const example = spawnSync('python3', [join(repoRoot, 'docs/examples/python_client_create_order.py')], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PYTHONPATH: pythonPath, ORCHESTRATOR_URL: stack.apiUrl, API_TOKEN: CLIENT_TOKENS.checkout, CARD_TOKEN: await simulator.cardToken() },
      });
      if (example.error !== undefined) throw example.error;
      expect({ status: example.status, stderr: example.stderr }).toEqual({ status: 0, stderr: '' });
      const printed = JSON.parse(example.stdout) as Record<string, unknown>;
      expect(printed.order_id).toMatch(new RegExp(ORDER_ID_PATTERN));
      expect(printed).toEqual({ order_id: printed.order_id, status: 'processed', replayed: 'true', run_state: 'final', run_order_id: printed.order_id });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('is OpenAPI 3.1 and lists exactly the routes the API serves to checkout services, none of the operator port', async () => {
    // Nest logs each route it maps at startup, for both of the API's apps: the served routes, not a list kept by hand.
    const served = stack.output
      .map((line) => stripVTControlCharacters(line))
      .flatMap((line) => {
        const mapped = /Mapped \{([^,]+), (\w+)\} route/.exec(line);
        return mapped === null ? [] : [{ method: mapped[2]!, path: mapped[1]!.replace(/:(\w+)/g, '{$1}') }];
      });
    const isOperatorRoute = ({ path }: { path: string }) => OPERATOR_ROUTE_PREFIXES.some((prefix) => path.startsWith(prefix));
    const documented = documentedOperations(document).map(({ method, path }) => `${method} ${path}`);

    expect(document.openapi).toBe('3.1.0');
    expect(served.length).toBeGreaterThan(0);
    expect([...documented].sort()).toEqual(
      served
        .filter((route) => !isOperatorRoute(route))
        .map(({ method, path }) => `${method} ${path}`)
        .sort(),
    );
    // Every operator prefix still names served routes, so the exclusion cannot hide a checkout route by going stale.
    for (const prefix of OPERATOR_ROUTE_PREFIXES) expect(served.filter(({ path }) => path.startsWith(prefix)).length).toBeGreaterThan(0);
    // Those routes belong to the operator port: on the checkout port they do not exist.
    const statuses = async (url: string) =>
      Promise.all(served.filter(isOperatorRoute).map(async ({ method, path }) => `${method} ${path} ${(await fetch(`${url}${path}`, { method })).status}`));
    expect((await statuses(stack.apiUrl)).filter((answer) => !answer.endsWith(' 404'))).toEqual([]);
    expect((await statuses(stack.operatorUrl)).filter((answer) => answer.endsWith(' 404'))).toEqual([]);
  });

  it('answers every example request in the document with a documented status and a body of the documented schema', async () => {
    const problems: string[] = [];
    for (const documented of documentedOperations(document)) {
      for (const body of exampleBodies(documented)) {
        const answer = await send(documented, pathWithExamples(documented), body);
        problems.push(...conformance.problems(documented.operation, answer.status, answer.headers.get('content-type'), answer.body));
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers valid requests on real orders and payments as documented', async () => {
    const byId = (operationId: string): DocumentedOperation => {
      const found = documentedOperations(document).find(({ operation }) => operation.operationId === operationId);
      if (found === undefined) throw new Error(`${operationId} is not documented`);
      return found;
    };
    const onOrder = async (operationId: string, state: 'created' | 'waiting_capture' | 'processed'): Promise<[DocumentedOperation, string, unknown]> => {
      const documented = byId(operationId);
      return [documented, documented.path.replace('{orderId}', await simulator.orderIn(state)), undefined];
    };
    const requests: [DocumentedOperation, string, unknown][] = [
      [byId('order.create'), '/v1/orders', cardOrderBody(await simulator.cardToken(), 'automatic')],
      [byId('order.create'), '/v1/orders', cardOrderBody(await simulator.cardToken('OTHE'), 'automatic')],
      await onOrder('order.process', 'created'),
      await onOrder('order.capture', 'waiting_capture'),
      await onOrder('order.cancel', 'created'),
      await onOrder('order.refund', 'processed'),
      await onOrder('order.read', 'processed'),
      [byId('advanced_payment.create'), '/v1/advanced_payments', { wallet_payment: { transaction_amount: 10 }, payer: { token: 'APRO-payer' } }],
      [byId('payment_run.read'), `/v1/payment-runs/${await processedKey()}`, undefined],
    ];
    const problems: string[] = [];
    const statuses: number[] = [];
    for (const [documented, path, body] of requests) {
      const answer = await send(documented, path, body);
      statuses.push(answer.status);
      problems.push(...conformance.problems(documented.operation, answer.status, answer.headers.get('content-type'), answer.body));
    }
    expect(problems).toEqual([]);
    // Not a single success would mean the checks above only ever saw error bodies.
    expect(statuses.filter((status) => status < 300).length).toBeGreaterThan(0);
  });

  it("documents the orchestrator's own errors exactly as it answers them", async () => {
    const checked: string[] = [];
    for (const documented of documentedOperations(document)) {
      for (const [status, response] of Object.entries(documented.operation.responses)) {
        const examples = response.content?.['application/json']?.examples ?? {};
        for (const [name, example] of Object.entries(examples)) {
          if (name.startsWith(UPSTREAM_EXAMPLE_PREFIX)) continue;
          const trigger = triggers[name];
          if (trigger === undefined) throw new Error(`${documented.operation.operationId}: no way to trigger the documented example "${name}"; add one here`);
          if (trigger === CHECKED_ELSEWHERE) continue;
          const answer = await trigger(documented);
          expect({ example: `${documented.operation.operationId} ${name}`, status: answer.status, body: answer.body }).toEqual({
            example: `${documented.operation.operationId} ${name}`,
            status: Number(status),
            body: example.value,
          });
          checked.push(name);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(0);
  });

  /** The key of a process the checkout client just sent, which its run answered. */
  async function processedKey(): Promise<string> {
    const key = newKey();
    expect((await api.processOrder(await simulator.orderIn('created'), { key })).status).toBe(200);
    return key;
  }

  /** Sent with the example header values, a fresh key and a valid token. */
  async function send(documented: DocumentedOperation, path: string, body: unknown, options: ProcessOptions = {}): Promise<ApiAnswer> {
    if (documented.method === 'GET') return api.get(path, options.token === undefined ? CLIENT_TOKENS.checkout : options.token);
    return api.post(path, body, { key: newKey(), ...options });
  }

  const CHECKED_ELSEWHERE = 'checked elsewhere';
  type Trigger = ((documented: DocumentedOperation) => Promise<ApiAnswer>) | typeof CHECKED_ELSEWHERE;

  /** Any valid order id that names no order: a request for it finishes at once, upstream 404. */
  const unknownOrderPath = (documented: DocumentedOperation): string => documented.path.replace('{orderId}', randomOrderId());
  const validBody = (documented: DocumentedOperation): unknown => exampleBodies(documented)[0];
  const giveUpRuns = new Map<string, Promise<{ stillRunning: ApiAnswer; gaveUp: ApiAnswer }>>();

  /** How to make the API give each of its own documented answers, by example name. */
  const triggers: Record<string, Trigger> = {
    unauthorized: (documented) => send(documented, pathWithExamples(documented), validBody(documented), { token: null }),
    missing_idempotency_key: (documented) => send(documented, pathWithExamples(documented), validBody(documented), { key: null }),
    invalid_idempotency_key: (documented) => send(documented, pathWithExamples(documented), validBody(documented), { key: 'k'.repeat(65) }),
    invalid_path_param: (documented) => send(documented, documented.path.replace('{orderId}', 'ORD-not-an-order-id'), validBody(documented)),
    invalid_body: (documented) => send(documented, pathWithExamples(documented), INVALID_BODY_EXAMPLE),
    json_syntax_error: (documented) => api.postRaw(pathWithExamples(documented), { contentType: 'application/json', text: '{"transactions":' }),
    unrepresentable_number: (documented) => api.postRaw(pathWithExamples(documented), { contentType: 'application/json', text: '{"transactions":[{"amount":1e400}]}' }),
    payload_too_large: (documented) => api.postRaw(pathWithExamples(documented), { contentType: 'application/json', text: JSON.stringify({ padding: 'x'.repeat(200_000) }) }),
    unsupported_media_type: (documented) => api.postRaw(pathWithExamples(documented), { contentType: 'text/plain', text: 'refund everything' }),
    // Only reads raise it directly: the upstream drops the connection.
    internal_error: async (documented) => {
      const orderId = randomOrderId();
      await simulator.injectFault('/v1/orders/{id}', orderId, { type: 'drop' });
      return send(documented, documented.path.replace('{orderId}', orderId), undefined);
    },
    key_reused: async (documented) => {
      const key = newKey();
      const first = documented.path.includes('{orderId}') ? unknownOrderPath(documented) : documented.path;
      await send(documented, first, validBody(documented), { key });
      if (documented.path.includes('{orderId}')) return send(documented, unknownOrderPath(documented), validBody(documented), { key });
      return send(documented, first, { ...(validBody(documented) as object), another_request: true }, { key });
    },
    still_running: async (documented) => (await runThatGivesUp(documented)).stillRunning,
    gave_up: async (documented) => (await runThatGivesUp(documented)).gaveUp,
    invalid_idempotency_key_in_path: (documented) => send(documented, documented.path.replace('{idempotencyKey}', 'k'.repeat(65)), undefined),
    undecodable_idempotency_key_in_path: (documented) => send(documented, documented.path.replace('{idempotencyKey}', 'x%zz'), undefined),
    payment_run_not_found: (documented) => send(documented, documented.path.replace('{idempotencyKey}', newKey()), undefined),
    too_many_requests: (documented) => firstRefusal(() => send(documented, pathWithExamples(documented), validBody(documented), { token: SECOND_MERCHANT.clientTokens.shop })),
    // Needs a client with its runs in flight all taken: test/security/client-quotas.e2e-spec.ts checks it.
    too_many_runs_in_flight: CHECKED_ELSEWHERE,
    // Times and keys differ on every run: "answers valid requests" checks a real status against the schema.
    final_run: CHECKED_ELSEWHERE,
    live: (documented) => send(documented, documented.path, undefined),
    ready: (documented) => send(documented, documented.path, undefined),
    // These need Temporal unreachable: test/order-processing/temporal-unreachable.e2e-spec.ts checks them.
    unverifiable: CHECKED_ELSEWHERE,
    unavailable: CHECKED_ELSEWHERE,
    // Needs a namespace without them: test/deployment/api-readiness.e2e-spec.ts checks it.
    missing_search_attributes: CHECKED_ELSEWHERE,
    // Notifications, signed with the stack's webhook secret: any order or payment id nobody follows.
    unknown_order: () => sendNotification(stack.apiUrl),
    unknown_payment: () => {
      const paymentId = randomPaymentId();
      return sendNotification(stack.apiUrl, { orderId: paymentId, topic: 'payment', body: paymentNotificationBody(paymentId, 1) });
    },
    ignored_topic: () => sendNotification(stack.apiUrl, { topic: 'mp-connect' }),
    invalid_signature: () => sendNotification(stack.apiUrl, { signature: null }),
    stale_signature: () => sendNotification(stack.apiUrl, { ts: String(Date.now() - 60 * 60 * 1000) }),
    // Need a followed order: test/webhooks/notifications-in.e2e-spec.ts checks them.
    accepted: CHECKED_ELSEWHERE,
    duplicate: CHECKED_ELSEWHERE,
  };

  /**
   * A run whose upstream answers 503 until the retry budget is spent: first "still running",
   * then "gave up". One per API family (the dialect decides the bodies, not the operation).
   */
  function runThatGivesUp(documented: DocumentedOperation): Promise<{ stillRunning: ApiAnswer; gaveUp: ApiAnswer }> {
    const family = documented.path.startsWith('/v1/advanced_payments') ? 'wallet_connect' : 'orders';
    let run = giveUpRuns.get(family);
    if (run === undefined) {
      run = (async () => {
        const path = family === 'orders' ? `/v1/orders/${randomOrderId()}/process` : '/v1/advanced_payments';
        const orderId = family === 'orders' ? path.split('/')[3]! : null;
        const route = family === 'orders' ? '/v1/orders/{id}/process' : '/v1/advanced_payments';
        const body = family === 'orders' ? undefined : validBody(documented);
        await simulator.injectFault(route, orderId, { type: 'respond', status: 503 }, 1000);
        try {
          const key = newKey();
          const stillRunning = await api.post(path, body, { key });
          let gaveUp = stillRunning;
          for (let attempt = 0; attempt < 10 && gaveUp.status !== 500; attempt += 1) gaveUp = await api.post(path, body, { key });
          return { stillRunning, gaveUp };
        } finally {
          await simulator.clearFaults();
        }
      })();
      giveUpRuns.set(family, run);
    }
    return run;
  }
});

/** The path with each path parameter's documented example. */
function pathWithExamples({ path, operation }: DocumentedOperation): string {
  return path.replace(/\{(\w+)\}/g, (_template, name: string) => {
    const parameter = operation.parameters?.find((candidate) => candidate.in === 'path' && candidate.name === name);
    const example = parameter?.example ?? parameter?.schema?.example;
    if (typeof example !== 'string') throw new Error(`${operation.operationId}: path parameter ${name} has no example`);
    return example;
  });
}

/** Each documented request body example, and no body where none is required. */
function exampleBodies({ operation }: DocumentedOperation): unknown[] {
  const requestBody = operation.requestBody;
  if (requestBody === undefined) return [undefined];
  const examples = Object.values(requestBody.content['application/json']?.examples ?? {}).map((example) => example.value);
  if (examples.length === 0) throw new Error(`${operation.operationId}: its request body has no example`);
  return requestBody.required === true ? examples : [...examples, undefined];
}
