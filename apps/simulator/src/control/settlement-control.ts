import { z } from 'zod';
import type { RouteTable } from '../http/route-table';
import { orderView } from '../orders/order-view';
import type { PendingSettlements } from '../orders/pending-settlements';
import { CONTROL_PREFIX, controlError, type ControlHandler } from './control-routes';

const settleBody = z.strictObject({ outcome: z.enum(['approved', 'declined']) });

/**
 * `POST /__simulator/orders/{id}/settle`: what the card network would eventually say about a
 * waiting order (a CONT review, a CHAL challenge), said now. Any owner's order: controls have no token.
 */
export function addSettlementControl(routes: RouteTable<ControlHandler>, settlements: PendingSettlements): void {
  routes.add('POST', `${CONTROL_PREFIX}/orders/{id}/settle`, ({ body, params }) => {
    const parsed = settleBody.safeParse(body);
    if (!parsed.success) return controlError(400, 'invalid_settlement', z.prettifyError(parsed.error));
    const id = params.id ?? '';
    const result = settlements.settle(id, parsed.data.outcome);
    switch (result.kind) {
      case 'not_found':
        return controlError(404, 'order_not_found', `no order ${id}`);
      case 'not_waiting':
        return controlError(
          409,
          'order_not_waiting',
          `order ${id} is ${result.order.status}/${result.order.statusDetail}; only processing and action_required/waiting_payment orders settle`,
        );
      case 'settled':
        return { status: 200, body: orderView(result.order) };
    }
  });
}
