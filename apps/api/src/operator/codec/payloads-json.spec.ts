import { formatPayloadsJson, parsePayloadsJson } from './payloads-json';

describe('codec payloads JSON', () => {
  it('reads protobuf JSON payloads and writes them back the same', () => {
    const body = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{"a":1}').toString('base64') }] };

    const parsed = parsePayloadsJson(body);

    expect(parsed.ok && Buffer.from(parsed.payloads[0]!.data!).toString()).toBe('{"a":1}');
    expect(parsed.ok && formatPayloadsJson(parsed.payloads)).toEqual(body);
  });

  it('accepts URL-safe or unpadded base64, absent fields and no payloads', () => {
    const parsed = parsePayloadsJson({ payloads: [{ data: '-_8' }, {}] });
    expect(parsed.ok && parsed.payloads.map((payload) => [...payload.data!])).toEqual([[251, 255], []]);
    expect(parsePayloadsJson({ payloads: [] })).toEqual({ ok: true, payloads: [] });
  });

  it.each([
    [null, /^the body/],
    [[], /^the body/],
    [{}, /^payloads: /],
    [{ payloads: {} }, /^payloads: /],
    [{ payloads: [{ data: 'not base64!' }] }, /^payloads\.0\.data: must be base64/],
    [{ payloads: [{ data: 'abcde' }] }, /^payloads\.0\.data: must be base64/],
    [{ payloads: [{ metadata: { encoding: 7 } }] }, /^payloads\.0\.metadata\.encoding: /],
  ])('names the bad field of %j', (body, problem) => {
    const parsed = parsePayloadsJson(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });
});
