/**
 * Amounts cross the edge as decimal strings ("10.00") or, in Wallet Connect, JSON numbers (700.5);
 * inside the simulator they are integer cents so that sums and comparisons are exact.
 */

/** Up to 12 integer digits, then two decimals or none (the Orders reference allows both). */
const DECIMAL_AMOUNT = /^(\d{1,12})(?:\.(\d{2}))?$/;

/** Cents for a decimal-string amount, or undefined when the text is not one. */
export function parseDecimalAmount(text: string): number | undefined {
  const match = DECIMAL_AMOUNT.exec(text);
  if (!match) return undefined;
  const [, units = '0', fraction = '00'] = match;
  return Number(units) * 100 + Number(fraction);
}

/** Cents for a JSON number with at most two decimals, or undefined. */
export function numberToCents(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const cents = Math.round(value * 100);
  // 700.5 * 100 is 70050.00000000001: tolerate float noise, reject a real third decimal.
  if (Math.abs(cents - value * 100) > 1e-6 || !Number.isSafeInteger(cents)) return undefined;
  return cents;
}

/** "10.00" for 1000. */
export function formatCents(cents: number): string {
  const units = Math.floor(cents / 100);
  const fraction = String(cents % 100).padStart(2, '0');
  return `${units}.${fraction}`;
}

/** 700.5 for 70050, for APIs that carry money as JSON numbers. */
export function centsToNumber(cents: number): number {
  return cents / 100;
}
