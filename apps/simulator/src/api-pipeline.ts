import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson } from '@app/contracts';
import { checkIdempotencyKey, IDEMPOTENCY_KEY_HEADER } from '@app/contracts/idempotency-key';
import type { JsonValue } from '@app/contracts/json';
import { noEffect, type ApiRequest, type ApiResult, type ApiRoute } from './api-route';
import { authenticate } from './auth/access-tokens';
import { ordersError } from './errors/orders-errors';
import type { Fault, FaultRules } from './faults/fault-rules';
import type { HandlerResult } from './http/handler-result';
import { parseJsonBody, readBody } from './http/request-body';
import type { RouteMatch, RouteTable } from './http/route-table';
import { sendResult } from './http/send-result';
import type { IdempotencyStore } from './idempotency/idempotency-store';
import { addNote, type Journal, type JournalEntry } from './journal/journal';

/** Settings the control API changes while the server runs. */
export interface RuntimeSettings {
  /** Added to every API call that reaches its handler (or its idempotency decision). */
  latencyMs: number;
}

export interface ApiPipelineDependencies {
  routes: RouteTable<ApiRoute>;
  accessTokens: ReadonlySet<string>;
  faults: FaultRules;
  idempotency: IdempotencyStore<ApiResult>;
  journal: Journal;
  settings: RuntimeSettings;
  /** Aborted when the server closes, which ends pending delays. */
  lifetime: AbortSignal;
}

/** One call in progress: what every stage needs, gathered once. */
interface Call {
  request: IncomingMessage;
  response: ServerResponse;
  method: string;
  path: string;
  entry: JournalEntry;
}

/**
 * Serves the Mercado Pago-compatible routes: auth → faults → idempotency → handler. Everything the
 * pipeline decides is written to the journal entry of the call.
 */
export class ApiPipeline {
  constructor(private readonly dependencies: ApiPipelineDependencies) {}

  async handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const method = request.method ?? 'GET';
    const match = this.dependencies.routes.match(method, path);
    const idempotencyKey = headerText(request.headers, IDEMPOTENCY_KEY_HEADER);
    const entry = this.dependencies.journal.open({
      method,
      path,
      route: match?.template ?? null,
      order_id: (match?.value.orderIdInPath ? match.params.id : undefined) ?? null,
      idempotency_key: idempotencyKey ?? null,
    });
    const call: Call = { request, response, method, path, entry };

    const body = await readBody(request);
    if (!match) return answer(call, ordersError('not_found'));
    const { dialect } = match.value;
    if (body.kind === 'too_large') return answer(call, dialect.failure('payload_too_large'));

    const authentication = authenticate(request.headers, this.dependencies.accessTokens);
    if (authentication.kind === 'rejected') return answer(call, dialect.failure(authentication.reason));

    if (match.value.requiresIdempotencyKey) {
      const keyCheck = checkIdempotencyKey(idempotencyKey);
      if (keyCheck === 'missing') return answer(call, dialect.failure('empty_required_header'));
      if (keyCheck === 'invalid') return answer(call, dialect.failure('invalid_idempotency_key_length'));
    }

    const fault = this.dependencies.faults.take({ method, route: match.template, orderId: entry.order_id });
    if (fault) addNote(entry, `fault:${fault.type}`);
    switch (fault?.type) {
      case 'respond':
        return answer(call, { status: fault.status, body: fault.body ?? dialect.faultBody(fault.status), headers: fault.headers });
      case 'drop':
        request.socket.destroy();
        return;
      case 'hang':
        // Never answered: the socket stays open until the client gives up or the server closes.
        return;
      case 'delay':
      case 'lose_response':
      case undefined:
        break;
    }

    const parsed = parseJsonBody(body.text);
    if (parsed.kind === 'malformed') return answer(call, dialect.failure('json_syntax_error'));
    const apiRequest: ApiRequest = {
      params: match.params,
      body: parsed.kind === 'json' ? parsed.value : undefined,
      accessToken: authentication.accessToken,
    };
    const result = await this.run(call, match, apiRequest, idempotencyKey ?? '', fault);
    if (result === undefined) return;
    entry.effect = result.effect;
    entry.order_id ??= result.orderId ?? null;
    if (fault?.type === 'lose_response') {
      request.socket.destroy();
      return;
    }
    answer(call, result);
  }

  /** Takes the idempotency decision, waits the configured latency, then acts or answers for the key. */
  private async run(call: Call, match: RouteMatch<ApiRoute>, request: ApiRequest, key: string, fault: Fault | undefined): Promise<ApiResult | undefined> {
    const route = match.value;
    const delayMs = this.dependencies.settings.latencyMs + (fault?.type === 'delay' ? fault.ms : 0);
    if (!route.requiresIdempotencyKey) {
      return (await this.pause(delayMs)) ? actSafely(route, request) : undefined;
    }
    // Decide (and lock the key) before waiting, so that duplicates arriving meanwhile see the lock.
    const decision = this.dependencies.idempotency.begin({ accessToken: request.accessToken, key }, fingerprint(call, request.body));
    if (!(await this.pause(delayMs))) return undefined;
    switch (decision.kind) {
      case 'replay':
        addNote(call.entry, 'replayed');
        return { ...decision.outcome, effect: false };
      case 'conflict':
        addNote(call.entry, 'key_reused');
        return noEffect(route.dialect.failure('idempotency_key_already_used'));
      case 'locked':
        addNote(call.entry, 'locked');
        return noEffect(route.dialect.failure('resource_locked'));
      case 'execute': {
        const result = actSafely(route, request);
        // A crash is not an answer worth keeping: release the key so a retry acts again.
        if (result.status >= 500) decision.abandon();
        else decision.complete(result);
        return result;
      }
    }
  }

  /** false when the server closed during the pause: the call is abandoned. */
  private async pause(ms: number): Promise<boolean> {
    if (ms <= 0) return true;
    try {
      await sleep(ms, undefined, { signal: this.dependencies.lifetime });
      return true;
    } catch {
      return false;
    }
  }
}

function actSafely(route: ApiRoute, request: ApiRequest): ApiResult {
  try {
    return route.handle(request);
  } catch (error) {
    console.error(`simulator: ${route.method} ${route.template} failed:`, error instanceof Error ? error.message : error);
    return noEffect(route.dialect.failure('internal_error'));
  }
}

/** Sends the result, unless the client already left; the journal records what was delivered. */
function answer(call: Call, result: HandlerResult): void {
  if (call.request.socket.destroyed) {
    addNote(call.entry, 'client_closed');
    return;
  }
  call.entry.status = result.status;
  sendResult(call.response, result);
}

/** "Same request" means same method, same path and same body up to key order. */
function fingerprint(call: Call, body: JsonValue | undefined): string {
  return `${call.method} ${call.path}\n${body === undefined ? '' : canonicalJson(body)}`;
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
