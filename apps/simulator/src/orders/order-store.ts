import type { Order } from './order-model';

export class OrderStore {
  private readonly orders = new Map<string, Order>();

  /** The order, if it exists and belongs to this access token. */
  find(id: string, accessToken: string): Order | undefined {
    const order = this.orders.get(id);
    return order?.ownerToken === accessToken ? order : undefined;
  }

  save(order: Order): void {
    this.orders.set(order.id, order);
  }

  clear(): void {
    this.orders.clear();
  }
}
