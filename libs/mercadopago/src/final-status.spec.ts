import { outcomeOfFinalAdvancedPaymentStatus, outcomeOfFinalOrderStatus, outcomeOfStatus } from './final-status';

describe('outcomeOfStatus', () => {
  it('names a final answer succeeded when 2xx, declined when 402, rejected otherwise', () => {
    expect([200, 201, 402, 400, 404, 409].map(outcomeOfStatus)).toEqual(['succeeded', 'succeeded', 'declined', 'rejected', 'rejected', 'rejected']);
  });
});

describe('outcomeOfFinalAdvancedPaymentStatus', () => {
  it('names the outcome of each final payment status, and none of a waiting one', () => {
    expect(['approved', 'refunded', 'charged_back', 'in_mediation', 'authorized', 'rejected', 'cancelled'].map(outcomeOfFinalAdvancedPaymentStatus)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'authorized',
      'declined',
      'canceled',
    ]);
    expect(['pending', 'in_process', 'constructor'].map(outcomeOfFinalAdvancedPaymentStatus)).toEqual([null, null, null]);
  });
});

describe('outcomeOfFinalOrderStatus', () => {
  it('names the outcome of each final order status, and none of a waiting one', () => {
    expect(['processed', 'refunded', 'charged_back', 'failed', 'canceled', 'cancelled', 'expired'].map((status) => outcomeOfFinalOrderStatus(status, null))).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'declined',
      'canceled',
      'canceled',
      'expired',
    ]);
    expect(outcomeOfFinalOrderStatus('action_required', 'waiting_capture')).toBe('authorized');
    expect(outcomeOfFinalOrderStatus('action_required', 'waiting_payment')).toBeNull();
    expect(outcomeOfFinalOrderStatus('processing', 'in_process')).toBeNull();
    expect(outcomeOfFinalOrderStatus('constructor', null)).toBeNull();
  });
});
