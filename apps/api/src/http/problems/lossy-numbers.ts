/**
 * Whether a JSON text holds a number that would not arrive upstream as the client wrote it.
 *
 * JSON.parse reads every number as an IEEE 754 double (ECMA-262, JSON.parse and
 * StringToNumber), and the body goes on to the fingerprint and the upstream as JSON.stringify
 * writes that double. A literal out of the double's range becomes Infinity (`1e400`), which
 * JSON.stringify writes as `null`, or 0 (`1e-400`); one beyond its precision becomes a nearby
 * value (`12345678901234567890` → `12345678901234567000`, `9007199254740993` → `…992`). RFC 8259
 * §6 warns that such numbers are not interoperable. "Carried faithfully" here means the decimal
 * value sent on equals the decimal value received: `100.50`, `1E2` or `-0` may be rewritten
 * (`100.5`, `100`, `0`) because their value stays the same; anything else is refused.
 *
 * The text must be valid JSON (it is read after the parser accepted it): outside strings, only
 * numbers start with `-` or a digit.
 */
export function hasLossyNumber(jsonText: string): boolean {
  for (let index = 0; index < jsonText.length; index += 1) {
    const character = jsonText[index]!;
    if (character === '"') {
      index = closingQuote(jsonText, index);
    } else if (character === '-' || (character >= '0' && character <= '9')) {
      NUMBER.lastIndex = index;
      const literal = NUMBER.exec(jsonText)![0];
      if (!keepsItsValue(literal)) return true;
      index += literal.length - 1;
    }
  }
  return false;
}

/** RFC 8259 §6's number grammar, matched where a number starts. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The index of the quote that ends the string opened at `opening`, skipping escaped characters. */
function closingQuote(text: string, opening: number): number {
  let index = opening + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index;
}

function keepsItsValue(literal: string): boolean {
  const parsed = Number(literal);
  // Number(literal) is the double JSON.parse makes of it; String(parsed), what JSON.stringify writes.
  return Number.isFinite(parsed) && decimalValue(literal) === decimalValue(String(parsed));
}

/** A number's exact decimal value as `[-]<digits>e<exponent>`, no leading or trailing zeros: equal values, equal strings. */
function decimalValue(numeral: string): string {
  const [, sign, whole, fraction = '', exponent = '0'] = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(numeral)!;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '');
  if (significant === '') return '0';
  // BigInt: an exponent of any length stays exact (1e99999999999999999999 must not round to 1e100000000000000000000).
  const scale = BigInt(exponent) - BigInt(fraction.length) + BigInt(digits.length - significant.length);
  return `${sign}${significant}e${scale}`;
}
