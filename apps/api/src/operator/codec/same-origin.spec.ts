import { isSameOriginRequest, ownOrigin } from './same-origin';

const OWN = 'http://127.0.0.1:3002';

describe('isSameOriginRequest', () => {
  it.each([
    ['same-origin', true],
    ['none', true],
    ['same-site', false],
    ['cross-site', false],
    ['bogus', false],
  ])('decides by Sec-Fetch-Site %p when it is sent, whatever Origin says', (site, allowed) => {
    expect(isSameOriginRequest({ 'sec-fetch-site': site, origin: OWN }, OWN)).toBe(allowed);
    expect(isSameOriginRequest({ 'sec-fetch-site': site, origin: 'https://evil.example' }, OWN)).toBe(allowed);
  });

  it.each([
    [OWN, true],
    ['http://127.0.0.1:3000', false],
    ['http://localhost:3002', false],
    ['https://127.0.0.1:3002', false],
    ['null', false],
  ])('else compares Origin %p with its own origin', (origin, allowed) => {
    expect(isSameOriginRequest({ origin }, OWN)).toBe(allowed);
  });

  it('refuses a request with neither header: no current browser sends a POST so', () => {
    expect(isSameOriginRequest({}, OWN)).toBe(false);
  });
});

describe('ownOrigin', () => {
  it('is the Host the browser used, https when the API is served over HTTPS', () => {
    expect(ownOrigin({ host: '127.0.0.1:3002' }, false)).toBe(OWN);
    expect(ownOrigin({ host: 'ops.example' }, true)).toBe('https://ops.example');
  });
});
