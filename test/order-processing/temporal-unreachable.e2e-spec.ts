import { ApiClient, errorCode, newKey, type ApiAnswer } from '../support/api-client';
import { freePort } from '../../scripts/lib/free-port';
import { cardOrderBody } from '../../scripts/lib/simulator-orders';
import { sendNotification } from '../support/mercadopago-notifications';
import { SimulatorClient } from '../support/simulator-client';
import { documentedOperations, loadOpenApiDocument } from '../support/openapi-document';
import { TestStack } from '../support/stack';

// Fail closed: when the key cannot be checked, call nothing and answer as Mercado Pago does when its own idempotency
// validation fails, 500 idempotency_validation_failed ("Process order by ID", responses, 500): https://www.mercadopago.com.br/developers/en/reference/orders/online/process-order/post
describe('when Temporal cannot be reached: fail closed (Process order by ID, 500 idempotency_validation_failed)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    const nothingListens = await freePort();
    stack = await TestStack.start({ api: { TEMPORAL_ADDRESS: `127.0.0.1:${nothingListens}`, TEMPORAL_RPC_TIMEOUT_MS: '1500' } });
  });
  afterAll(async () => stack.stop());

  it('reports the API live but not ready', async () => {
    const live = await fetch(`${stack.apiUrl}/health/live`);
    const ready = await fetch(`${stack.apiUrl}/health/ready`);

    expect(live.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', temporal: 'unreachable' });
  });

  it('answers 500 idempotency_validation_failed and never calls the upstream', async () => {
    const simulator = new SimulatorClient(stack.simulatorUrl);
    const orderId = await simulator.createOrder('APRO');

    const answer = await new ApiClient(stack.apiUrl).processOrder(orderId, { key: newKey() });

    expect(answer.status).toBe(500);
    expect(errorCode(answer)).toBe('idempotency_validation_failed');
    expect(await simulator.processCalls(orderId)).toEqual([]);
  });

  it('answers every write with the body its OpenAPI document shows for this case, in its family, and calls nothing upstream', async () => {
    const api = new ApiClient(stack.apiUrl);
    const simulator = new SimulatorClient(stack.simulatorUrl);
    // Orders created upstream, not through the API: whose they are cannot be asked either.
    const [orderId, cardToken] = await Promise.all([simulator.orderIn('processed'), simulator.cardToken()]);
    const requests: Record<string, () => Promise<ApiAnswer>> = {
      'order.create': () => api.post('/v1/orders', cardOrderBody(cardToken, 'manual')),
      'order.process': () => api.processOrder(orderId),
      'order.capture': () => api.post(`/v1/orders/${orderId}/capture`, undefined),
      'order.cancel': () => api.post(`/v1/orders/${orderId}/cancel`, undefined),
      'order.refund': () => api.post(`/v1/orders/${orderId}/refund`, undefined),
      'advanced_payment.create': () => api.post('/v1/advanced_payments', { wallet_payment: { transaction_amount: 1 }, payer: { token: 'APRO-payer' } }),
    };
    const operations = documentedOperations(await loadOpenApiDocument(stack.apiUrl));
    const unverifiableExample = (operationId: string) =>
      operations.find(({ operation }) => operation.operationId === operationId)?.operation.responses['500']?.content?.['application/json']?.examples?.unverifiable;
    const since = Date.now();

    // Every operation documenting this answer is sent here (test/openapi/document-drift.e2e-spec.ts relies on it).
    const documenting = operations.map(({ operation }) => operation.operationId).filter((operationId) => unverifiableExample(operationId) !== undefined);
    expect([...documenting].sort()).toEqual(Object.keys(requests).sort());
    for (const [operationId, request] of Object.entries(requests)) {
      const answer = await request();
      expect({ operationId, status: answer.status, body: answer.body }).toEqual({ operationId, status: 500, body: unverifiableExample(operationId)?.value });
    }
    expect(await simulator.calls(null, null, since)).toEqual([]);
  });

  it('answers GET /v1/payment-runs/{key} 500 internal_error: ask again', async () => {
    const answer = await new ApiClient(stack.apiUrl).get(`/v1/payment-runs/${newKey()}`);

    expect(answer.status).toBe(500);
    expect(errorCode(answer)).toBe('internal_error');
  });

  it('answers a valid notification 500 unavailable, as documented, so that Mercado Pago sends it again', async () => {
    const documented = documentedOperations(await loadOpenApiDocument(stack.apiUrl)).find(({ operation }) => operation.operationId === 'notification.receive');
    const example = documented?.operation.responses['500']?.content?.['application/json']?.examples?.unavailable;
    const answer = await sendNotification(stack.apiUrl);

    expect(example).toBeDefined();
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 500, body: example?.value });
  });
});
