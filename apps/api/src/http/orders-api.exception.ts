import { ordersErrors, type OrdersErrorCode } from '@app/contracts';

/** A documented Orders API error; the exception filter turns it into its status and body. */
export class OrdersApiException extends Error {
  constructor(
    readonly code: OrdersErrorCode,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(ordersErrors[code].message);
    this.name = 'OrdersApiException';
  }

  get status(): number {
    return ordersErrors[this.code].status;
  }
}
