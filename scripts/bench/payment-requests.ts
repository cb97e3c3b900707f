import { randomUUID } from 'node:crypto';
import type { RequestSource, TargetRequest } from './load-step';

/** A payment as the caller identifies it: the order and the idempotency key. */
export interface PaymentIdentity {
  orderId: string;
  idempotencyKey: string;
}

/** `POST /v1/orders/{id}/process` with the caller's Bearer token: the same request to the simulator and to the API. */
export function processRequest(bearerToken: string, payment: PaymentIdentity): TargetRequest {
  return {
    path: `/v1/orders/${payment.orderId}/process`,
    headers: { Authorization: `Bearer ${bearerToken}`, 'X-Idempotency-Key': payment.idempotencyKey },
  };
}

/** A new payment per request: each pre-created order is used once, with a key never sent before. */
export function newPaymentSource(bearerToken: string, orderIds: readonly string[]): RequestSource {
  let used = 0;
  return {
    capacity: orderIds.length,
    next: () => {
      const orderId = orderIds[used++];
      // The step's request limit equals the capacity; reaching this means the limit was not applied.
      if (orderId === undefined) throw new Error('out of pre-created orders: an order would have been reused');
      return processRequest(bearerToken, { orderId, idempotencyKey: randomUUID() });
    },
  };
}

/** Replays: cycles through payments whose runs have finished, `capacity` requests in all. */
export function replaySource(bearerToken: string, finished: readonly PaymentIdentity[], capacity: number): RequestSource {
  if (finished.length === 0) throw new Error('replays need at least one finished payment');
  let sent = 0;
  return {
    capacity,
    next: () => processRequest(bearerToken, finished[sent++ % finished.length] as PaymentIdentity),
  };
}

/** A storm: the same payment, `size` times. */
export function duplicateSource(bearerToken: string, payment: PaymentIdentity, size: number): RequestSource {
  const request = processRequest(bearerToken, payment);
  return { capacity: size, next: () => request };
}
