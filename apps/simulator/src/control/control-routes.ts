import type { JsonValue } from '@app/contracts/json';
import type { RuntimeSettings } from '../api-pipeline';
import type { FaultRules } from '../faults/fault-rules';
import { readFaultRequest } from '../faults/fault-request';
import type { HandlerResult } from '../http/handler-result';
import { RouteTable } from '../http/route-table';
import type { Journal } from '../journal/journal';

/** Everything under /__simulator: test and benchmark controls, never part of Mercado Pago's API. */
export const CONTROL_PREFIX = '/__simulator';

export interface ControlInput {
  body: JsonValue | undefined;
  query: URLSearchParams;
  /** Path parameters, e.g. the `{id}` of `/__simulator/orders/{id}/settle`. */
  params: Readonly<Record<string, string>>;
}

export type ControlHandler = (input: ControlInput) => HandlerResult;

export interface ControlDependencies {
  faults: FaultRules;
  journal: Journal;
  settings: RuntimeSettings;
  /** Templates of the API routes, which fault rules may name. */
  apiRoutes: readonly string[];
  /** Wipes all state back to how the server started. */
  reset: () => void;
}

/** The control error body: plain, so nobody mistakes it for an upstream answer. */
export function controlError(status: number, error: string, message: string): HandlerResult {
  return { status, body: { error, message } };
}

const MAX_LATENCY_MS = 60_000;

export function controlRoutes({ faults, journal, settings, apiRoutes, reset }: ControlDependencies): RouteTable<ControlHandler> {
  return new RouteTable<ControlHandler>()
    .add('GET', `${CONTROL_PREFIX}/health`, () => ({ status: 200, body: { status: 'ok' } }))
    .add('POST', `${CONTROL_PREFIX}/faults`, ({ body }) => {
      const reading = readFaultRequest(body, apiRoutes);
      if (reading.kind === 'invalid') return controlError(400, 'invalid_fault', reading.message);
      const { match, fault, times } = reading.request;
      return { status: 201, body: { id: faults.add(match, fault, times).id } };
    })
    .add('GET', `${CONTROL_PREFIX}/faults`, () => ({
      status: 200,
      body: { faults: faults.list().map((rule) => ({ id: rule.id, match: { ...rule.match }, fault: { ...rule.fault }, remaining: rule.remaining })) },
    }))
    .add('DELETE', `${CONTROL_PREFIX}/faults`, () => ({ status: 200, body: { deleted: faults.clear() } }))
    .add('PUT', `${CONTROL_PREFIX}/latency`, ({ body }) => {
      const ms = typeof body === 'object' && body !== null && !Array.isArray(body) ? body.ms : undefined;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_LATENCY_MS) {
        return controlError(400, 'invalid_latency', `body must be {"ms": <integer from 0 to ${MAX_LATENCY_MS}>}`);
      }
      settings.latencyMs = ms;
      return { status: 200, body: { ms } };
    })
    .add('GET', `${CONTROL_PREFIX}/journal`, ({ query }) => ({
      status: 200,
      body: {
        entries: journal
          .list({
            idempotencyKey: query.get('idempotency_key') ?? undefined,
            orderId: query.get('order_id') ?? undefined,
            route: query.get('route') ?? undefined,
          })
          .map((entry) => ({ ...entry })),
      },
    }))
    .add('POST', `${CONTROL_PREFIX}/reset`, () => {
      reset();
      return { status: 200, body: { status: 'reset' } };
    });
}
