import type { JsonValue } from '@app/contracts/json';
import type { ErrorDialect } from './errors/error-dialect';
import type { HandlerResult } from './http/handler-result';

/** What a Mercado Pago-compatible handler sees once the pipeline has authenticated and parsed the call. */
export interface ApiRequest {
  params: Readonly<Record<string, string>>;
  /** undefined when the request had no body. */
  body: JsonValue | undefined;
  accessToken: string;
}

export interface ApiResult extends HandlerResult {
  /** True when the handler changed state; the journal records it. */
  effect: boolean;
  /** The order the call concerned, when the handler knows it (e.g. the one it just created). */
  orderId?: string;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  template: string;
  dialect: ErrorDialect;
  /** Writes need X-Idempotency-Key; reads and card tokenization do not. */
  requiresIdempotencyKey: boolean;
  /** The `{id}` parameter is an order id (used by fault rules and the journal). */
  orderIdInPath: boolean;
  handle(request: ApiRequest): ApiResult;
}

/** A result that changed nothing: validation errors, lookups, rejections. */
export function noEffect(result: HandlerResult): ApiResult {
  return { ...result, effect: false };
}
