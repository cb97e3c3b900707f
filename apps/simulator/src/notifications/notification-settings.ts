import { z } from 'zod';

/**
 * Mercado Pago's notification docs and its SDK disagree on two details of the signature
 * (/work/shared/reference/mercadopago.md §6 and §8), so the simulator lets a test pick:
 * - `ts` in milliseconds, as in the docs' example header, or in seconds, as the SDK's tolerance
 *   check reads it;
 * - the order id in the signed manifest as sent (what integrators found Orders notifications use)
 *   or lower-cased (what the docs ask for alphanumeric ids).
 */
export const TIMESTAMP_UNITS = ['milliseconds', 'seconds'] as const;
export const MANIFEST_ID_CASES = ['as_sent', 'lower'] as const;
export type TimestampUnit = (typeof TIMESTAMP_UNITS)[number];
export type ManifestIdCase = (typeof MANIFEST_ID_CASES)[number];

/** How long a CONT order or advanced payment waits before settling by itself, unless configured otherwise. */
export const DEFAULT_PENDING_SETTLE_MS = 5_000;

/** A day: long enough for any test, and far below the 2^31 ms where Node timers overflow. */
export const MAX_PENDING_SETTLE_MS = 24 * 60 * 60 * 1000;

/** Settings `PUT /__simulator/notifications` changes while the server runs. */
export interface NotificationSettings {
  tsUnit: TimestampUnit;
  idCase: ManifestIdCase;
  /** After this, a CONT order or advanced payment settles by itself; 0 means never. Read when it starts waiting. */
  pendingSettleMs: number;
}

export const pendingSettleMsSchema = z.int().min(0).max(MAX_PENDING_SETTLE_MS);

const updateSchema = z.strictObject({
  ts_unit: z.enum(TIMESTAMP_UNITS).optional(),
  id_case: z.enum(MANIFEST_ID_CASES).optional(),
  pending_settle_ms: pendingSettleMsSchema.optional(),
});

export type SettingsUpdateReading = { kind: 'valid'; update: Partial<NotificationSettings> } | { kind: 'invalid'; message: string };

/** Reads a `PUT /__simulator/notifications` body: any subset of the settings. */
export function readNotificationSettingsUpdate(body: unknown): SettingsUpdateReading {
  const parsed = updateSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', message: z.prettifyError(parsed.error) };
  const { ts_unit: tsUnit, id_case: idCase, pending_settle_ms: pendingSettleMs } = parsed.data;
  const update: Partial<NotificationSettings> = {};
  if (tsUnit !== undefined) update.tsUnit = tsUnit;
  if (idCase !== undefined) update.idCase = idCase;
  if (pendingSettleMs !== undefined) update.pendingSettleMs = pendingSettleMs;
  return { kind: 'valid', update };
}

/** The settings as the control API shows them. */
export function notificationSettingsView(settings: NotificationSettings): { ts_unit: TimestampUnit; id_case: ManifestIdCase; pending_settle_ms: number } {
  return { ts_unit: settings.tsUnit, id_case: settings.idCase, pending_settle_ms: settings.pendingSettleMs };
}
