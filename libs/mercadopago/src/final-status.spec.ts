import { outcomeOfFinalAdvancedPaymentStatus, outcomeOfFinalOrderStatus } from './final-status';

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
