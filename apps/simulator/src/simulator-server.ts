import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiPipeline, type RuntimeSettings } from './api-pipeline';
import type { ApiResult, ApiRoute } from './api-route';
import { advancedPaymentRoutes } from './advanced-payments/advanced-payment-routes';
import { AdvancedPaymentStore } from './advanced-payments/advanced-payment-store';
import { cardTokenRoutes } from './card-tokens/card-token-routes';
import { CardTokenStore } from './card-tokens/card-token-store';
import { systemClock, type Clock } from './clock';
import { CONTROL_PREFIX, controlError, controlRoutes, type ControlHandler } from './control/control-routes';
import { addNotificationControls } from './control/notification-controls';
import { addSettlementControl } from './control/settlement-control';
import { advancedPaymentSettlements } from './advanced-payments/advanced-payment-settlements';
import { advancedPaymentStatus, advancedPaymentView } from './advanced-payments/advanced-payment-view';
import { FaultRules } from './faults/fault-rules';
import { parseJsonBody, readBody } from './http/request-body';
import { RouteTable } from './http/route-table';
import { sendResult } from './http/send-result';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { Journal } from './journal/journal';
import { NotificationFaults } from './notifications/notification-faults';
import { NotificationLog } from './notifications/notification-log';
import { DEFAULT_PENDING_SETTLE_MS, type NotificationSettings } from './notifications/notification-settings';
import { Notifier } from './notifications/notifier';
import { orderNotification } from './notifications/order-notification';
import { paymentNotification } from './notifications/payment-notification';
import { orderRoutes } from './orders/order-routes';
import { orderSettlements } from './orders/order-settlements';
import { OrderStore } from './orders/order-store';
import { orderView } from './orders/order-view';
import { BackgroundTasks } from './background-tasks';

export interface SimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Bearer tokens the API accepts. */
  accessTokens: readonly string[];
  /** Latency added to every API call until changed with PUT /__simulator/latency. */
  latencyMs?: number;
  /** For tests that must move time (the 24 h idempotency window). */
  clock?: Clock;
  /** Where order and payment notifications are posted; without it none are sent. */
  notificationUrl?: string;
  /** Webhook secret per access token; only orders and advanced payments of these tokens are notified. */
  webhookSecrets?: Readonly<Record<string, string>>;
  /** After this, a CONT order or advanced payment settles by itself (default DEFAULT_PENDING_SETTLE_MS; 0 = only through the settle control). */
  pendingSettleMs?: number;
}

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Stops listening and ends every open connection, hanging ones included. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const clock = options.clock ?? systemClock;
  const initialLatencyMs = options.latencyMs ?? 0;
  const settings: RuntimeSettings = { latencyMs: initialLatencyMs };
  const lifetime = new AbortController();
  // Every delayed call listens on this signal; hundreds at once are normal in a benchmark.
  setMaxListeners(0, lifetime.signal);

  const initialNotificationSettings: NotificationSettings = { tsUnit: 'milliseconds', idCase: 'as_sent', pendingSettleMs: options.pendingSettleMs ?? DEFAULT_PENDING_SETTLE_MS };
  const notificationSettings: NotificationSettings = { ...initialNotificationSettings };
  const notificationFaults = new NotificationFaults();
  const notificationLog = new NotificationLog();
  const tasks = new BackgroundTasks();
  const notifier = new Notifier({
    url: options.notificationUrl,
    secrets: new Map(Object.entries(options.webhookSecrets ?? {})),
    settings: notificationSettings,
    faults: notificationFaults,
    log: notificationLog,
    tasks,
    clock,
  });
  const pendingSettleMs = () => notificationSettings.pendingSettleMs;
  const orders: OrderStore = new OrderStore((order) => {
    notifier.notify(orderNotification(order));
    settlements.changed(order);
  });
  const settlements = orderSettlements({ orders, pendingSettleMs, tasks, clock });
  const advancedPayments: AdvancedPaymentStore = new AdvancedPaymentStore((payment) => {
    const notification = paymentNotification(payment);
    if (notification !== undefined) notifier.notify(notification);
    paymentSettlements.changed(payment);
  });
  const paymentSettlements = advancedPaymentSettlements({ payments: advancedPayments, pendingSettleMs, tasks, clock });
  const cardTokens = new CardTokenStore();
  const idempotency = new IdempotencyStore<ApiResult>(clock);
  const faults = new FaultRules();
  const journal = new Journal(clock);

  const apiRoutes = new RouteTable<ApiRoute>();
  for (const route of [...orderRoutes({ orders, cardTokens, clock }), ...cardTokenRoutes(cardTokens, clock), ...advancedPaymentRoutes({ payments: advancedPayments, clock })]) {
    apiRoutes.add(route.method, route.template, route);
  }

  const pipeline = new ApiPipeline({
    routes: apiRoutes,
    accessTokens: new Set(options.accessTokens),
    faults,
    idempotency,
    journal,
    settings,
    lifetime: lifetime.signal,
  });
  const control = controlRoutes({
    faults,
    journal,
    settings,
    apiRoutes: apiRoutes.templates(),
    reset: () => {
      tasks.cancelAll();
      for (const store of [orders, cardTokens, advancedPayments, idempotency, faults, journal, notificationFaults, notificationLog]) store.clear();
      settings.latencyMs = initialLatencyMs;
      Object.assign(notificationSettings, initialNotificationSettings);
    },
  });
  addNotificationControls(control, { settings: notificationSettings, faults: notificationFaults, log: notificationLog });
  addSettlementControl(control, {
    collection: 'orders',
    noun: 'order',
    settlements,
    view: orderView,
    notWaitingReason: (order) => `is ${order.status}/${order.statusDetail}; only processing and action_required/waiting_payment orders settle`,
  });
  addSettlementControl(control, {
    collection: 'advanced-payments',
    noun: 'advanced_payment',
    settlements: paymentSettlements,
    view: advancedPaymentView,
    notWaitingReason: (payment) => `is ${advancedPaymentStatus(payment).status}; only in_process advanced payments settle`,
  });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const handling = url.pathname.startsWith(`${CONTROL_PREFIX}/`) ? handleControl(control, request, response, url) : pipeline.handle(request, response, url.pathname);
    handling.catch((error: unknown) => {
      // Only a broken client stream gets here (e.g. it aborted mid-body); nobody is left to answer.
      if (!lifetime.signal.aborted) console.error('simulator: request failed:', error instanceof Error ? error.message : error);
      request.socket.destroy();
    });
  });
  // Idle kept-alive connections are closed by the client alone (fetch after 4 s idle when no
  // Keep-Alive timeout is advertised). With Node's default (closed after 5 s + 1 s), a client late
  // by seconds reuses the connection as the server closes it: its request is lost unread and fails
  // with "other side closed" or ECONNRESET (a test's POST failed so on loaded machines). 0 disables
  // the server's keep-alive timeout (Node docs, server.keepAliveTimeout); close() still ends them all.
  server.keepAliveTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        lifetime.abort();
        tasks.cancelAll();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handleControl(control: RouteTable<ControlHandler>, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const body = await readBody(request);
  const match = control.match(request.method ?? 'GET', url.pathname);
  if (!match) return sendResult(response, controlError(404, 'not_found', `no control route ${request.method} ${url.pathname}`));
  if (body.kind === 'too_large') return sendResult(response, controlError(413, 'payload_too_large', 'body larger than 1 MiB'));
  const parsed = parseJsonBody(body.text);
  if (parsed.kind === 'malformed') return sendResult(response, controlError(400, 'json_syntax_error', 'body is not valid JSON'));
  sendResult(response, match.value({ body: parsed.kind === 'json' ? parsed.value : undefined, query: url.searchParams, params: match.params }));
}
