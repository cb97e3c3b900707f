import type { JsonObject } from '@app/contracts/json';
import { z } from 'zod';
import type { RouteTable } from '../http/route-table';
import type { PendingSettlements } from '../settlements/pending-settlements';
import { CONTROL_PREFIX, controlError, type ControlHandler } from './control-routes';

const settleBody = z.strictObject({ outcome: z.enum(['approved', 'declined']) });

/** One kind of record the settle control ends the wait of. */
export interface SettlementTarget<Record> {
  /** The path segment before `/{id}/settle`: `orders`, `advanced-payments`. */
  collection: string;
  /** The prefix of the error codes and the noun of their messages: `order`, `advanced_payment`. */
  noun: string;
  settlements: PendingSettlements<Record>;
  /** The record as the API's GET shows it. */
  view: (record: Record) => JsonObject;
  /** Its current state and which states settle, for the 409 message. */
  notWaitingReason: (record: Record) => string;
}

/**
 * `POST /__simulator/{collection}/{id}/settle`: what the card network would eventually say about
 * a waiting record (a CONT review, a CHAL challenge), said now. Any owner's record: controls have
 * no token.
 */
export function addSettlementControl<Record>(routes: RouteTable<ControlHandler>, target: SettlementTarget<Record>): void {
  const { collection, noun, settlements, view, notWaitingReason } = target;
  const label = noun.replaceAll('_', ' ');
  routes.add('POST', `${CONTROL_PREFIX}/${collection}/{id}/settle`, ({ body, params }) => {
    const parsed = settleBody.safeParse(body);
    if (!parsed.success) return controlError(400, 'invalid_settlement', z.prettifyError(parsed.error));
    const id = params.id ?? '';
    const result = settlements.settle(id, parsed.data.outcome);
    switch (result.kind) {
      case 'not_found':
        return controlError(404, `${noun}_not_found`, `no ${label} ${id}`);
      case 'not_waiting':
        return controlError(409, `${noun}_not_waiting`, `${label} ${id} ${notWaitingReason(result.record)}`);
      case 'settled':
        return { status: 200, body: view(result.record) };
    }
  });
}
