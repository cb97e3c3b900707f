import { RecentNotifications } from './recent-notifications';

describe('RecentNotifications', () => {
  it('knows a change once remembered, per merchant and order', () => {
    const recent = new RecentNotifications(10);
    recent.remember('acme', 'ORD1', 'order.processed|processed|accredited|3');
    expect(recent.has('acme', 'ORD1', 'order.processed|processed|accredited|3')).toBe(true);
    expect(recent.has('acme', 'ORD1', 'order.processed|processed|accredited|4')).toBe(false);
    expect(recent.has('acme', 'ORD2', 'order.processed|processed|accredited|3')).toBe(false);
    expect(recent.has('other', 'ORD1', 'order.processed|processed|accredited|3')).toBe(false);
  });

  it('forgets the least recently seen first', () => {
    const recent = new RecentNotifications(2);
    recent.remember('acme', 'ORD1', 'a');
    recent.remember('acme', 'ORD2', 'a');
    // Seen again: now ORD2 is the least recent.
    expect(recent.has('acme', 'ORD1', 'a')).toBe(true);
    recent.remember('acme', 'ORD3', 'a');
    expect(recent.has('acme', 'ORD2', 'a')).toBe(false);
    expect(recent.has('acme', 'ORD1', 'a')).toBe(true);
    expect(recent.has('acme', 'ORD3', 'a')).toBe(true);
  });
});
