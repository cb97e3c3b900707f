import type { PaymentWriteResult } from '@app/contracts';
import { AnswerMemory, type RememberedAnswer } from './answer-memory';

const answer = (fingerprint: string, body: PaymentWriteResult['body'] = { id: 'ORD1', status: 'processed' }): RememberedAnswer => ({
  fingerprint,
  runId: `run-${fingerprint}`,
  result: { status: 200, body },
});

describe('AnswerMemory', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('answers a remembered key with exactly what it was given', () => {
    const memory = new AnswerMemory(10_000, clock);
    memory.remember('key-1', answer('f1'), now + 60_000);
    expect(memory.recall('key-1')).toEqual(expect.objectContaining(answer('f1')));
    expect(memory.recall('key-2')).toBeNull();
  });

  it('forgets an answer at its expiry, and never takes one already expired', () => {
    const memory = new AnswerMemory(10_000, clock);
    memory.remember('key-1', answer('f1'), now + 60_000);
    memory.remember('key-2', answer('f2'), now);
    now += 59_999;
    expect(memory.recall('key-1')).not.toBeNull();
    now += 1;
    expect(memory.recall('key-1')).toBeNull();
    expect(memory.recall('key-2')).toBeNull();
    expect(memory.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('stays within its bound in bytes, dropping the least recently used first', () => {
    const memory = new AnswerMemory(100_000, clock);
    for (const key of ['a', 'b', 'c']) memory.remember(key, answer(key), now + 60_000);
    const perEntry = memory.size.bytes / 3;
    const bounded = new AnswerMemory(Math.floor(perEntry * 2.5), clock);
    bounded.remember('a', answer('a'), now + 60_000);
    bounded.remember('b', answer('b'), now + 60_000);
    expect(bounded.recall('a')).not.toBeNull(); // now b is the least recently used
    bounded.remember('c', answer('c'), now + 60_000);
    expect(bounded.recall('b')).toBeNull();
    expect(bounded.recall('a')).not.toBeNull();
    expect(bounded.recall('c')).not.toBeNull();
    expect(bounded.size.bytes).toBeLessThanOrEqual(Math.floor(perEntry * 2.5));
  });

  it('keeps no answer larger than the whole bound', () => {
    const memory = new AnswerMemory(500, clock);
    memory.remember('big', answer('f', { note: 'x'.repeat(1_000) }), now + 60_000);
    expect(memory.recall('big')).toBeNull();
    expect(memory.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('replaces a key it remembers without counting it twice', () => {
    const memory = new AnswerMemory(10_000, clock);
    memory.remember('key', answer('f1'), now + 60_000);
    const once = memory.size.bytes;
    memory.remember('key', answer('f1'), now + 60_000);
    expect(memory.size).toEqual({ entries: 1, bytes: once });
  });

  it('says whether it holds a key until its expiry, without making it the most recently used', () => {
    const memory = new AnswerMemory(1_000, clock);
    memory.remember('a', answer('a'), now + 60_000);
    const perEntry = memory.size.bytes;
    const bounded = new AnswerMemory(Math.floor(perEntry * 2.5), clock);
    bounded.remember('a', answer('a'), now + 60_000);
    bounded.remember('b', answer('b'), now + 60_000);
    expect([bounded.holds('a'), bounded.holds('missing')]).toEqual([true, false]);
    bounded.remember('c', answer('c'), now + 60_000); // a is still the least recently used
    expect([bounded.holds('a'), bounded.holds('b'), bounded.holds('c')]).toEqual([false, true, true]);
    now += 60_000;
    expect(bounded.holds('b')).toBe(false);
  });
});
