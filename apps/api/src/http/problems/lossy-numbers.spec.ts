import { hasLossyNumber } from './lossy-numbers';

describe('hasLossyNumber', () => {
  it.each([
    ['a number out of range, which JSON.parse makes Infinity', '{"transactions":[{"amount":1e400}]}'],
    ['a negative number out of range', '{"amount":-1e400}'],
    ['a number so small it becomes 0', '{"amount":1e-400}'],
    ['an integer beyond 2^53', '{"id":12345678901234567890}'],
    ['2^53 + 1, the first integer a double cannot hold', '[9007199254740993]'],
    ['more significant digits than a double holds', '{"amount":0.30000000000000001}'],
    ['a lossy number after strings with quotes, escapes and digits', '{"a\\"1":"x\\\\","b":"2e999","c":1e999}'],
    ['an exponent too long for any double', '{"amount":1e99999999999999999999}'],
  ])('finds %s', (_case, text) => {
    expect(hasLossyNumber(text)).toBe(true);
  });

  it.each([
    ['ordinary amounts', '{"transactions":[{"amount":100.5,"id":"PAY1"}],"total":-3,"n":0}'],
    ['2^53, which a double holds exactly', '[9007199254740992]'],
    ['the largest and smallest doubles', '[1.7976931348623157e308,5e-324]'],
    ['a value written differently but equal', '[100.50,1E2,1e+21,-0,0.0e5,0e99999]'],
    ['numbers only inside strings', '{"amount":"1e400","id":"12345678901234567890"}'],
    ['no numbers at all', '{"a":[true,false,null,{}]}'],
  ])('accepts %s', (_case, text) => {
    expect(hasLossyNumber(text)).toBe(false);
  });
});
