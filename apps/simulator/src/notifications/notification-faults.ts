import { z } from 'zod';

/** Longest `delay` a fault may ask for: past it, a test wants `drop`. */
export const MAX_NOTIFICATION_DELAY_MS = 60_000;

export type NotificationFault =
  /** Never sent; listed as dropped. */
  | { type: 'drop' }
  /** The identical request (same x-request-id and signature) sent twice, one after the other. */
  | { type: 'duplicate' }
  /** Sent `delayMs` later than it would have been. */
  | { type: 'delay'; delayMs: number }
  /** Signed with a secret that is not the application's, so the signature does not verify. */
  | { type: 'forge' };

interface PendingFault {
  fault: NotificationFault;
  remaining: number;
}

/** Faults for the next notifications, used in the order they were added. */
export class NotificationFaults {
  private pending: PendingFault[] = [];

  add(fault: NotificationFault, times: number): void {
    this.pending.push({ fault, remaining: times });
  }

  /** The fault for the next notification, if any; it is used up by one. */
  take(): NotificationFault | undefined {
    const next = this.pending[0];
    if (!next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) this.pending.shift();
    return next.fault;
  }

  /** What is left, as the control API shows it. */
  list(): { fault: NotificationFault['type']; delay_ms?: number; remaining: number }[] {
    return this.pending.map(({ fault, remaining }) => ({ fault: fault.type, ...(fault.type === 'delay' ? { delay_ms: fault.delayMs } : {}), remaining }));
  }

  /** Removes every fault; returns how many there were. */
  clear(): number {
    const count = this.pending.length;
    this.pending = [];
    return count;
  }
}

const times = z.int().min(1).max(1_000_000).default(1);
const requestSchema = z.discriminatedUnion('fault', [
  z.strictObject({ fault: z.literal('drop'), times }),
  z.strictObject({ fault: z.literal('duplicate'), times }),
  z.strictObject({ fault: z.literal('forge'), times }),
  z.strictObject({ fault: z.literal('delay'), times, delay_ms: z.int().min(0).max(MAX_NOTIFICATION_DELAY_MS) }),
]);

export type NotificationFaultReading = { kind: 'valid'; fault: NotificationFault; times: number } | { kind: 'invalid'; message: string };

/** Reads a `POST /__simulator/notification-faults` body. */
export function readNotificationFaultRequest(body: unknown): NotificationFaultReading {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', message: z.prettifyError(parsed.error) };
  const request = parsed.data;
  const fault: NotificationFault = request.fault === 'delay' ? { type: 'delay', delayMs: request.delay_ms } : { type: request.fault };
  return { kind: 'valid', fault, times: request.times };
}
