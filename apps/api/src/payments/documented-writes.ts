import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_PATTERN, type PaymentOperation } from '@app/contracts';
import { BEARER_SCHEME, orderIdParameter, toApiResponse, type DocumentedExample } from '../openapi/documented-response';
import * as published from '../openapi/published-examples';
import { jsonSchemaOf } from '../openapi/response-schemas';
import { documentedWriteResponses } from './documented-write-responses';
import { anyJsonObject, paymentWrites } from './payment-write-declarations';

const WRITE_SUMMARIES: { readonly [Operation in PaymentOperation]: { tag: string; summary: string } } = {
  'order.create': { tag: 'Orders', summary: 'Create an order' },
  'order.process': { tag: 'Orders', summary: 'Process an order created in manual mode' },
  'order.capture': { tag: 'Orders', summary: 'Capture an authorized order' },
  'order.cancel': { tag: 'Orders', summary: 'Cancel an order' },
  'order.refund': { tag: 'Orders', summary: 'Refund an order, in full or in part' },
  'advanced_payment.create': { tag: 'Wallet Connect', summary: 'Create a Wallet Connect advanced payment' },
};

/** The request examples of each write that takes a body, from Mercado Pago's pages. */
const REQUEST_EXAMPLES: { readonly [Operation in PaymentOperation]?: Record<string, DocumentedExample> } = {
  'order.create': { manual_card_order: { summary: 'A manual-mode card order', value: published.createOrderRequest } },
  'order.refund': {
    full_refund: { summary: 'An empty object (or no body): refund the full amount', value: {} },
    partial_refund: { summary: 'Refund part of one payment', value: published.partialRefundRequest },
  },
  'advanced_payment.create': { card_payment: { summary: 'A payment with a wallet agreement', value: published.advancedPaymentRequest } },
};

/** Marks the handler of a payment write with its operation, for the replay front (replay-front.ts). */
export const PAYMENT_WRITE_METADATA = 'paymentWrite';

/** Everything the document says about one payment write, derived from its declaration. */
export function DocumentedWrite(operation: PaymentOperation): MethodDecorator {
  const write = paymentWrites[operation];
  const { tag, summary } = WRITE_SUMMARIES[operation];
  const decorators = [
    SetMetadata(PAYMENT_WRITE_METADATA, operation),
    ApiTags(tag),
    ApiOperation({ operationId: operation, summary }),
    ApiBearerAuth(BEARER_SCHEME),
    ApiHeader({
      name: 'X-Idempotency-Key',
      required: true,
      description: 'One key per request: 1 to 64 visible ASCII characters (! to ~, no spaces); a UUID v4 is a good choice.',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
      example: '0d5020ed-1af6-469c-ae06-c3bec19954bb',
    }),
    ...(write.takesOrderId ? [orderIdParameter] : []),
    ...documentedWriteResponses(operation).map(toApiResponse),
  ];
  const examples = REQUEST_EXAMPLES[operation] ?? {};
  switch (write.body.kind) {
    case 'none':
      break;
    case 'optional_object':
      decorators.push(ApiBody({ required: false, schema: jsonSchemaOf(anyJsonObject, 'input'), examples }));
      break;
    case 'object':
      decorators.push(ApiBody({ required: true, schema: jsonSchemaOf(write.body.schema, 'input'), examples }));
      break;
  }
  return applyDecorators(...decorators);
}
