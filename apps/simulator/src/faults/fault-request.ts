import { z } from 'zod';
import type { Fault, FaultMatch } from './fault-rules';

/** Longest delay a rule may ask for; beyond it a test should use `hang`. */
const MAX_DELAY_MS = 10 * 60 * 1000;

const faultSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('respond'),
    status: z.int().min(200).max(599),
    body: z.json().optional(),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'header names are letters, digits and dashes'), z.string()).optional(),
  }),
  z.strictObject({ type: z.literal('delay'), ms: z.int().min(0).max(MAX_DELAY_MS) }),
  z.strictObject({ type: z.literal('hang') }),
  z.strictObject({ type: z.literal('drop') }),
  z.strictObject({ type: z.literal('lose_response') }),
]);

export interface FaultRequest {
  match: FaultMatch;
  fault: Fault;
  times: number;
}

export type FaultRequestReading = { kind: 'valid'; request: FaultRequest } | { kind: 'invalid'; message: string };

/** Reads a `POST /__simulator/faults` body; `routes` are the templates a rule may name. */
export function readFaultRequest(body: unknown, routes: readonly string[]): FaultRequestReading {
  const schema = z.strictObject({
    match: z
      .strictObject({
        method: z.enum(['GET', 'POST']).optional(),
        route: z.enum(routes as [string, ...string[]]).optional(),
        orderId: z.string().min(1).optional(),
      })
      .default({}),
    fault: faultSchema,
    times: z.int().min(1).max(1_000_000).default(1),
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', message: z.prettifyError(parsed.error) };
  const { match, fault, times } = parsed.data;
  return {
    kind: 'valid',
    request: {
      match: withoutUndefined(match),
      fault: withoutUndefined<Fault>(fault),
      times,
    },
  };
}

/** zod leaves absent optional keys as undefined; dropping them keeps `GET /__simulator/faults` tidy. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
