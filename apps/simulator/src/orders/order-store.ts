import type { Order } from './order-model';

/** Told about every order stored: notifications and pending settlements start from here. */
export type OrderChangeListener = (order: Order) => void;

export class OrderStore {
  private readonly orders = new Map<string, Order>();

  /** Every save is a change (creation included); replays and reads never save. */
  constructor(private readonly onChange: OrderChangeListener = () => undefined) {}

  /** The order, if it exists and belongs to this access token. */
  find(id: string, accessToken: string): Order | undefined {
    const order = this.orders.get(id);
    return order?.ownerToken === accessToken ? order : undefined;
  }

  /** The order whoever owns it: for the simulator's own controls and timers, never for the API. */
  findAnyOwner(id: string): Order | undefined {
    return this.orders.get(id);
  }

  save(order: Order): void {
    this.orders.set(order.id, order);
    this.onChange(order);
  }

  clear(): void {
    this.orders.clear();
  }
}
