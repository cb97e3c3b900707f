import { SignalCoalescer, type BatchSend } from './signal-coalescer';

/** A send per call, each answered when the test says: what it carried, and the abort signal it was given. */
function scriptedSends() {
  const sends: Array<{ items: string[]; signal: AbortSignal; succeed: () => void; fail: (error: Error) => void }> = [];
  const send: BatchSend<string> = (items, signal) =>
    new Promise<void>((resolve, reject) => {
      sends.push({ items, signal, succeed: resolve, fail: reject });
    });
  return { sends, send };
}

/** How a caller's promise ended so far: pending, resolved, or rejected with its message. */
function outcomeOf(promise: Promise<void>): { state: string } {
  const outcome = { state: 'pending' };
  promise.then(
    () => (outcome.state = 'resolved'),
    (error: unknown) => (outcome.state = `rejected: ${error instanceof Error ? error.message : String(error)}`),
  );
  return outcome;
}

/** Lets every promise callback queued so far run. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

const coalescer = (maxItems = 10, maxBytes = 1_000) => new SignalCoalescer<string>({ maxItems, maxBytes, sizeOf: (item) => item.length });
const never = () => new AbortController().signal;

describe('SignalCoalescer: one send in flight per key, the items that meet it go together after it', () => {
  it('sends an item at once, alone, when nothing for its key is in flight', async () => {
    const { sends, send } = scriptedSends();
    const done = outcomeOf(coalescer().submit('workflow-a', 'e1', send, never()));

    // Synchronously: no timer, no waiting for company.
    expect(sends.map(({ items }) => items)).toEqual([['e1']]);
    sends[0]!.succeed();
    await settled();
    expect(done.state).toBe('resolved');
  });

  it('holds the items submitted while a send is in flight and sends them as one when it returns, each caller told when its own went', async () => {
    const { sends, send } = scriptedSends();
    const lanes = coalescer();
    const first = outcomeOf(lanes.submit('workflow-a', 'e1', send, never()));
    const later = ['e2', 'e3', 'e4'].map((item) => outcomeOf(lanes.submit('workflow-a', item, send, never())));
    // Another key is not held by this one's send.
    const other = outcomeOf(lanes.submit('workflow-b', 'x1', send, never()));

    expect(sends.map(({ items }) => items)).toEqual([['e1'], ['x1']]);
    sends[0]!.succeed();
    await settled();
    expect(first.state).toBe('resolved');
    expect(later.map(({ state }) => state)).toEqual(['pending', 'pending', 'pending']);
    expect(sends.map(({ items }) => items)).toEqual([['e1'], ['x1'], ['e2', 'e3', 'e4']]);

    sends[2]!.succeed();
    await settled();
    expect(later.map(({ state }) => state)).toEqual(['resolved', 'resolved', 'resolved']);
    expect(other.state).toBe('pending');
    // Nothing left in flight for the key: the next item goes at once again.
    lanes.submit('workflow-a', 'e5', send, never()).catch(() => undefined);
    expect(sends.at(-1)!.items).toEqual(['e5']);
  });

  it('bounds a send by its count and its bytes, one item always going whatever its size', async () => {
    const { sends, send } = scriptedSends();
    const lanes = coalescer(3, 10);
    lanes.submit('workflow-a', 'first', send, never()).catch(() => undefined);
    for (const item of ['a', 'b', 'c', 'd', 'eeeeeeeeee', 'ffffffffffff', 'g']) lanes.submit('workflow-a', item, send, never()).catch(() => undefined);

    for (let index = 0; index < 5; index += 1) {
      sends[index]!.succeed();
      await settled();
    }
    expect(sends.map(({ items }) => items)).toEqual([['first'], ['a', 'b', 'c'], ['d'], ['eeeeeeeeee'], ['ffffffffffff'], ['g']]);
  });

  it("gives up one caller at its own deadline without stopping a send that carries others' items", async () => {
    const { sends, send } = scriptedSends();
    const lanes = coalescer();
    lanes.submit('workflow-a', 'e1', send, never()).catch(() => undefined);
    const [deadline2, deadline3, deadline4] = [new AbortController(), new AbortController(), new AbortController()];
    const e2 = outcomeOf(lanes.submit('workflow-a', 'e2', send, deadline2.signal));
    const e3 = outcomeOf(lanes.submit('workflow-a', 'e3', send, deadline3.signal));
    const e4 = outcomeOf(lanes.submit('workflow-a', 'e4', send, deadline4.signal));

    // Given up while waiting: it leaves the queue.
    deadline2.abort(new Error('deadline e2'));
    await settled();
    expect(e2.state).toBe('rejected: deadline e2');
    sends[0]!.succeed();
    await settled();
    expect(sends[1]!.items).toEqual(['e3', 'e4']);

    // Given up while its send is in flight: only its own promise ends; the send goes on for e4.
    deadline3.abort(new Error('deadline e3'));
    await settled();
    expect(e3.state).toBe('rejected: deadline e3');
    expect(sends[1]!.signal.aborted).toBe(false);
    sends[1]!.succeed();
    await settled();
    expect(e4.state).toBe('resolved');
  });

  it('stops a send once every caller it carries has given up', async () => {
    const { sends, send } = scriptedSends();
    const lanes = coalescer();
    lanes.submit('workflow-a', 'e1', send, never()).catch(() => undefined);
    const deadlines = [new AbortController(), new AbortController()];
    const outcomes = deadlines.map((deadline, index) => outcomeOf(lanes.submit('workflow-a', `e${index + 2}`, send, deadline.signal)));
    sends[0]!.succeed();
    await settled();

    deadlines[0]!.abort(new Error('gave up'));
    expect(sends[1]!.signal.aborted).toBe(false);
    deadlines[1]!.abort(new Error('gave up'));
    expect(sends[1]!.signal.aborted).toBe(true);
    await settled();
    expect(outcomes.map(({ state }) => state)).toEqual(['rejected: gave up', 'rejected: gave up']);
  });

  it("rejects only the failed send's callers; the items waiting behind it are sent next", async () => {
    const { sends, send } = scriptedSends();
    const lanes = coalescer();
    const first = outcomeOf(lanes.submit('workflow-a', 'e1', send, never()));
    const later = ['e2', 'e3'].map((item) => outcomeOf(lanes.submit('workflow-a', item, send, never())));

    sends[0]!.fail(new Error('14 UNAVAILABLE'));
    await settled();
    expect(first.state).toBe('rejected: 14 UNAVAILABLE');
    expect(later.map(({ state }) => state)).toEqual(['pending', 'pending']);
    sends[1]!.succeed();
    await settled();
    expect(later.map(({ state }) => state)).toEqual(['resolved', 'resolved']);
  });

  it('rejects the callers of a send that throws at once, and sends the next items all the same', async () => {
    const { sends, send } = scriptedSends();
    const lanes = coalescer();
    const throwing: BatchSend<string> = () => {
      throw new Error('no connection');
    };
    const first = outcomeOf(lanes.submit('workflow-a', 'e1', throwing, never()));
    await settled();
    const next = outcomeOf(lanes.submit('workflow-a', 'e2', send, never()));

    expect(first.state).toBe('rejected: no connection');
    expect(sends.map(({ items }) => items)).toEqual([['e2']]);
    sends[0]!.succeed();
    await settled();
    expect(next.state).toBe('resolved');
  });

  it('refuses at once a caller that gave up before submitting', async () => {
    const { sends, send } = scriptedSends();
    const gaveUp = new AbortController();
    gaveUp.abort(new Error('too late'));

    await expect(coalescer().submit('workflow-a', 'e1', send, gaveUp.signal)).rejects.toThrow('too late');
    expect(sends).toEqual([]);
  });
});
