import { readFuzzPlan } from './fuzz-plan';

const seed = () => 42;

describe('readFuzzPlan', () => {
  it('starts a private stack with the full preset and a fresh seed by default', () => {
    expect(readFuzzPlan([], seed)).toMatchObject({ apiUrl: null, token: null, maxExamples: 100, maxSeconds: 600, seed: 42, verbose: false });
  });

  it('takes an API, its token, a seed to reproduce and the quick preset', () => {
    const plan = readFuzzPlan(['--quick', '--api-url', 'http://127.0.0.1:3000', '--token', 't', '--seed', '0'], seed);
    expect(plan).toMatchObject({ apiUrl: 'http://127.0.0.1:3000', token: 't', maxExamples: 15, maxSeconds: 60, seed: 0 });
  });

  it('refuses bad input with a message naming the flag', () => {
    expect(() => readFuzzPlan(['--api-url', 'http://127.0.0.1:3000'], seed)).toThrow(/--api-url needs --token/);
    expect(() => readFuzzPlan(['--api-url', 'http://127.0.0.1:3000/docs-json', '--token', 't'], seed)).toThrow(/API's origin/);
    expect(() => readFuzzPlan(['--max-examples', '0'], seed)).toThrow(/--max-examples must be at least 1/);
    expect(() => readFuzzPlan(['--seed', '-1'], seed)).toThrow(/--seed must be a whole number/);
    expect(() => readFuzzPlan(['--max-seconds', 'ten'], seed)).toThrow(/--max-seconds must be a whole number/);
    expect(() => readFuzzPlan(['--fast'], seed)).toThrow(/unknown argument --fast/);
  });
});
