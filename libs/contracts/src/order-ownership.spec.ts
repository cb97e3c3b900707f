import { createHash } from 'node:crypto';
import { ORDER_OWNER_MEMO_FIELD, orderOwnershipStart, orderOwnershipWorkflowId } from './order-ownership';
import { searchAttributes } from './search-attributes';

describe('order ownership records', () => {
  it.each(['ORD01J49MMW3SSBK5PSV3DFR32959', 'ORDTST01J49MMW3SSBK5PSV3DFR32959'])('keep the ID records were written under, now that workflow code derives it too (%s)', (orderId) => {
    // How the API derived it before runs recorded owners themselves (node:crypto, outside the sandbox).
    const before = `order-owner ${createHash('sha256').update(orderId).digest('hex')}`;

    expect(orderOwnershipWorkflowId(orderId)).toBe(before);
  });

  it('start with the owner in the memo, found by order and client, written once', () => {
    const start = orderOwnershipStart('ORD01J49MMW3SSBK5PSV3DFR32959', 'checkout', { keepForMs: 1_000 });

    expect(start).toEqual({
      workflowId: orderOwnershipWorkflowId('ORD01J49MMW3SSBK5PSV3DFR32959'),
      args: [{ keepForMs: 1_000 }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { [ORDER_OWNER_MEMO_FIELD]: 'checkout' },
      typedSearchAttributes: [
        { key: searchAttributes.orderId, value: 'ORD01J49MMW3SSBK5PSV3DFR32959' },
        { key: searchAttributes.clientId, value: 'checkout' },
      ],
      staticSummary: 'Order ORD01J49MMW3SSBK5PSV3DFR32959 belongs to checkout',
    });
  });
});
