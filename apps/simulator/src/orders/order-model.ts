import type { JsonValue } from '@app/contracts/json';

export type ProcessingMode = 'automatic' | 'manual';
export type CaptureMode = 'automatic' | 'manual';

/** Order statuses the simulator reaches. `canceled` is spelled with one l throughout. */
export type OrderStatus = 'created' | 'processing' | 'action_required' | 'processed' | 'failed' | 'canceled';
export type PaymentStatus = OrderStatus | 'refunded';

export interface PaymentMethod {
  id: string;
  type: string;
  token: string;
  installments: number;
  statement_descriptor?: string;
}

export interface OrderPayment {
  id: string;
  referenceId: string;
  amountCents: number;
  refundedCents: number;
  status: PaymentStatus;
  statusDetail: string;
  paymentMethod: PaymentMethod;
}

export interface OrderRefund {
  id: string;
  transactionId: string;
  referenceId: string;
  amountCents: number;
}

export interface Order {
  id: string;
  /** Orders belong to the access token that created them; other sellers get 404. */
  ownerToken: string;
  userId: string;
  processingMode: ProcessingMode;
  captureMode: CaptureMode;
  externalReference?: string;
  totalCents: number;
  status: OrderStatus;
  statusDetail: string;
  createdAtMs: number;
  updatedAtMs: number;
  /**
   * Counts the order's changes: 1 when created, one more on each later change. Notifications carry
   * it as `data.version`, so a receiver can tell a stale notification from a fresh one.
   */
  version: number;
  /** Echoed as sent: the simulator does not interpret them. */
  description?: string;
  items?: JsonValue;
  expirationTime?: string;
  payments: readonly OrderPayment[];
  refunds: readonly OrderRefund[];
}
