import { Injectable } from '@nestjs/common';
import { checkIdempotencyKey, IDEMPOTENCY_KEY_HEADER } from '@app/contracts';
import { isValidOrderId, outcomeOfStatus, upstreamPathOf } from '@app/mercadopago';
import { addLogFields } from '@app/observability';
import type { IncomingHttpHeaders } from 'node:http';
import type { Caller } from '../http/auth/client-authenticator';
import { ApiProblemException } from '../http/problems/api-problem';
import type { HttpAnswer } from '../http/problems/http-answer';
import type { PaymentRunOutcome } from '../http/dialects/payment-run-outcome';
import { PaymentRuns, type PaymentWriteCommand } from '../payment-runs/payment-runs.service';
import { OrderOwnership } from '../orders/order-ownership.service';
import { ApiMetrics, type WriteOutcome } from '../http/telemetry/api-metrics';
import { acceptBody, type PaymentWriteDeclaration } from './payment-write-declarations';

/**
 * What a write reads of its request: its headers, the body the JSON parser left, and the caller the
 * bearer guard named. A Nest route's request (AuthenticatedRequest) is one; so is a request the
 * replay front answers before Nest (replay-front.ts).
 */
export interface WriteRequest extends Caller {
  headers: IncomingHttpHeaders;
  body?: unknown;
}

/** Performs any declared payment write: validate, then start or attach to the key's run, then answer. */
@Injectable()
export class IdempotentWrites {
  constructor(
    private readonly runs: PaymentRuns,
    private readonly ownership: OrderOwnership,
    private readonly metrics: ApiMetrics,
  ) {}

  async perform(declaration: PaymentWriteDeclaration, request: WriteRequest, orderId: string | null = null): Promise<HttpAnswer> {
    const idempotencyKey = requireIdempotencyKey(request);
    addLogFields({ idempotencyKey, operation: declaration.operation, ...(orderId === null ? {} : { orderId }) });
    if (declaration.takesOrderId && (orderId === null || !isValidOrderId(orderId))) {
      throw new ApiProblemException('invalid_path_param');
    }
    if (request.body === undefined && hasBody(request)) throw new ApiProblemException('unsupported_media_type');
    const accepted = acceptBody(declaration.body, request.body);
    if ('problem' in accepted) throw new ApiProblemException('invalid_body', accepted.problem);

    const command: PaymentWriteCommand = {
      operation: declaration.operation,
      merchant: request.merchant,
      idempotencyKey,
      clientId: request.clientId,
      orderId,
      body: accepted.body,
      upstream: {
        method: 'POST',
        path: upstreamPathOf(declaration.operation, orderId),
        ...(accepted.body === null ? {} : { body: accepted.body }),
      },
      summary: declaration.describe(orderId, request.clientId),
      // The run records the creator itself (libs/workflows/src/payment-run/record-owner.ts); settle
      // covers runs recorded before it did, and costs nothing otherwise (OrderOwnership.recordCreator).
      ...(declaration.operation === 'order.create' ? { ownership: this.ownership.recordedByRun(request), settle: (result) => this.ownership.recordCreator(request, result) } : {}),
    };
    const outcome = this.runs.answerFromMemory(command) ?? (await this.authorizedRun(command, request));
    this.count(declaration.operation, outcome);
    return declaration.dialect.outcome(outcome);
  }

  /**
   * An order another client owns is answered 404 before anything starts: no run, no key taken. When
   * ownership cannot be read, the write is refused as unverifiable, like a key whose state is unknown.
   */
  private async authorizedRun(command: PaymentWriteCommand, caller: WriteRequest): Promise<PaymentRunOutcome> {
    const access = command.orderId === null ? 'allowed' : await this.ownership.access(caller, command.orderId);
    if (access === 'denied') throw new ApiProblemException('order_not_found');
    if (access === 'unknowable') return { kind: 'unverifiable' };
    return this.runs.execute(command);
  }

  private count(operation: string, outcome: PaymentRunOutcome): void {
    this.metrics.outcomes.inc({ operation, outcome: writeOutcome(outcome) });
    // Every dialect answers a replayed result with Idempotent-Replayed: true.
    if (outcome.kind === 'answered' && outcome.replayed) this.metrics.replays.inc({ operation });
  }
}

function writeOutcome(outcome: PaymentRunOutcome): WriteOutcome {
  return outcome.kind === 'answered' ? outcomeOfStatus(outcome.result.status) : outcome.kind;
}

/** Whether the client sent a body at all, parsed or not (e.g. text/plain, which is not parsed). */
function hasBody(request: WriteRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}

function requireIdempotencyKey(request: WriteRequest): string {
  const value = request.headers[IDEMPOTENCY_KEY_HEADER];
  const key = Array.isArray(value) ? value.join(', ') : value;
  switch (checkIdempotencyKey(key)) {
    case 'missing':
      throw new ApiProblemException('missing_idempotency_key');
    case 'invalid':
      throw new ApiProblemException('invalid_idempotency_key');
    case 'valid':
      return key as string;
  }
}
