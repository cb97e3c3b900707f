import { centsToNumber, formatCents, numberToCents, parseDecimalAmount } from './money';

describe('money helpers', () => {
  it.each([
    ['10.00', 1000],
    ['10', 1000],
    ['0.05', 5],
    ['24.90', 2490],
  ])('reads %s as %i cents', (text, cents) => {
    expect(parseDecimalAmount(text)).toBe(cents);
  });

  it.each(['10.0', '10.000', '-1.00', '1e3', '', ' 10.00', '10,00'])('refuses %p', (text) => {
    expect(parseDecimalAmount(text)).toBeUndefined();
  });

  it('formats cents with two decimals', () => {
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(123456)).toBe('1234.56');
  });

  it('converts JSON numbers with at most two decimals, tolerating float noise', () => {
    expect(numberToCents(700.5)).toBe(70050);
    expect(numberToCents(0.1 + 0.2)).toBe(30);
    expect(numberToCents(1.005)).toBeUndefined();
    expect(numberToCents(-1)).toBeUndefined();
    expect(centsToNumber(70050)).toBe(700.5);
  });
});
