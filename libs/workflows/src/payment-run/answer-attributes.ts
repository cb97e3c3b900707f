import type { SearchAttributePair } from '@temporalio/common';
import type { JsonValue } from '../../../contracts/src/json';
import { answeredOrderId } from '../../../mercadopago/src/order-id';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';
import { searchAttributes } from '../../../contracts/src/search-attributes';
import { externalReferenceOf } from '../../../mercadopago/src/external-reference';
import { outcomeOfStatus } from '../../../mercadopago/src/final-status';

/** What operators search a run by once it is answered (docs/operations.md, "Finding a payment in the Temporal Web UI"). */
export function answerAttributes(input: PaymentWriteInput, status: number, body: JsonValue): SearchAttributePair[] {
  return [
    { key: searchAttributes.outcome, value: outcomeOfStatus(status) },
    { key: searchAttributes.upstreamStatus, value: status },
    ...createdOrderId(input, body),
    ...answeredExternalReference(body),
  ];
}

/** An order create learns its order id only from the answer; operators search runs by it. */
function createdOrderId(input: PaymentWriteInput, body: JsonValue): SearchAttributePair[] {
  const id = input.orderId === null ? answeredOrderId(body) : null;
  return id === null ? [] : [{ key: searchAttributes.orderId, value: id }];
}

/** Captures, refunds and processes carry no body of their own: only the answer names the reference. */
function answeredExternalReference(body: JsonValue): SearchAttributePair[] {
  const reference = externalReferenceOf(body);
  return reference === null ? [] : [{ key: searchAttributes.externalReference, value: reference }];
}
