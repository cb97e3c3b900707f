import { isJsonObject, type JsonValue } from '../../contracts/src/json';
import type { PaymentOperation, PaymentWriteResult } from '../../contracts/src/payment-operation';

/**
 * What a read of the order must show for a write whose every attempt went unanswered to count as
 * done, and the status its answer then has (the operation's documented success). Order statuses
 * are Mercado Pago's (Orders "Order status" pages): created → processing / action_required →
 * processed → refunded, or failed, canceled, expired, charged_back.
 *
 * Only states the write alone leads to count, so a read never turns a write that did not happen
 * into a success:
 * - process and capture: processed or later (refunded, charged_back). `processing` and
 *   `action_required` also follow an order's creation, so they prove nothing;
 * - cancel: canceled (spelled cancelled on some pages);
 * - a full refund (no body): refunded. A partial refund is never reconciled: an earlier partial
 *   refund leaves the order looking the same;
 * - creates (orders, Wallet Connect payments): nothing to read, as no id is known before the answer.
 */
const RECONCILABLE: Partial<Record<PaymentOperation, { successStatus: number; tookEffect: (order: { status: string; statusDetail: string | null }) => boolean }>> = {
  'order.process': { successStatus: 200, tookEffect: ({ status }) => PROCESSED_OR_LATER.has(status) },
  'order.capture': { successStatus: 200, tookEffect: ({ status }) => PROCESSED_OR_LATER.has(status) },
  'order.cancel': { successStatus: 200, tookEffect: ({ status }) => status === 'canceled' || status === 'cancelled' },
  'order.refund': { successStatus: 201, tookEffect: ({ status, statusDetail }) => status === 'refunded' || (status === 'processed' && statusDetail === 'refunded') },
};

const PROCESSED_OR_LATER: ReadonlySet<string> = new Set(['processed', 'refunded', 'charged_back']);

/** Whether a read of the order can settle this write when no attempt got an answer. */
export function isReconcilable(operation: PaymentOperation, requestBody: JsonValue | undefined): boolean {
  return RECONCILABLE[operation] !== undefined && (operation !== 'order.refund' || requestBody === undefined);
}

/**
 * The answer a write gets from a read of its order (`readStatus` and `readBody`, as
 * `GET /v1/orders/{id}` answered) when that read shows the write took effect; null otherwise.
 */
export function reconciledAnswer(operation: PaymentOperation, requestBody: JsonValue | undefined, readStatus: number, readBody: JsonValue): PaymentWriteResult | null {
  const rule = RECONCILABLE[operation];
  if (rule === undefined || !isReconcilable(operation, requestBody) || readStatus !== 200 || !isJsonObject(readBody)) return null;
  const { status, status_detail: statusDetail } = readBody;
  if (typeof status !== 'string') return null;
  return rule.tookEffect({ status, statusDetail: typeof statusDetail === 'string' ? statusDetail : null }) ? { status: rule.successStatus, body: readBody } : null;
}
