/**
 * Sends one signal's worth of items at a time per key ("group commit"): an item submitted while no
 * send for its key is in flight goes at once, alone (no timer, so nothing waits when there is
 * nothing to wait for); items submitted while one is in flight wait for it and then go together, up
 * to `maxItems` of them and `maxBytes` of their sizes (one item always goes, whatever its size).
 * The worker hands callback events over with it, one key per callbacks workflow
 * (docs/architecture.md, "Callbacks apart from payments").
 *
 * Each caller has its own abort signal: aborted while waiting, its item leaves the queue; aborted
 * while its send is in flight, only its own promise rejects, and the send goes on for the others
 * (it is cancelled only once every caller it carries has given up). A caller that gave up cannot
 * tell whether its item went: the receiver must take an item twice as once.
 */
export class SignalCoalescer<T> {
  /** Per key, the items waiting for the send in flight; a key is present exactly while a send for it is in flight. */
  private readonly lanes = new Map<string, Array<Waiter<T>>>();

  constructor(private readonly limits: CoalescerLimits<T>) {}

  /**
   * Resolves once a send carrying `item` returned, rejects with its error, or with `caller`'s reason
   * once `caller` aborts first. `send` is the one a batch this item starts uses (every item of a key
   * must be sendable by any of their `send`s).
   */
  submit(key: string, item: T, send: BatchSend<T>, caller: AbortSignal): Promise<void> {
    if (caller.aborted) return Promise.reject(abortReason(caller));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter<T> = { item, send, size: 0, batch: null, settled: false, resolve, reject, release: () => undefined };
      const onAbort = () => this.giveUp(key, waiter, abortReason(caller));
      caller.addEventListener('abort', onAbort, { once: true });
      waiter.release = () => caller.removeEventListener('abort', onAbort);
      const queued = this.lanes.get(key);
      if (queued !== undefined) {
        // Weighed only when it waits: the batch it joins is bounded in bytes; an item sent at once never is.
        waiter.size = this.limits.sizeOf(item);
        queued.push(waiter);
        return;
      }
      this.lanes.set(key, []);
      this.dispatch(key, [waiter]);
    });
  }

  private dispatch(key: string, waiters: Array<Waiter<T>>): void {
    const batch: Batch<T> = { controller: new AbortController(), waiters };
    for (const waiter of waiters) waiter.batch = batch;
    const [first] = waiters;
    // A rejected send settles only this batch's callers; the next batch is sent all the same. Called
    // inside a promise, so a send that throws at once rejects too, rather than leave the key's queue stuck.
    new Promise<void>((resolve) =>
      resolve(
        first!.send(
          waiters.map(({ item }) => item),
          batch.controller.signal,
        ),
      ),
    )
      .then(
        () => this.settleAll(waiters, null),
        (error: unknown) => this.settleAll(waiters, { error }),
      )
      .finally(() => this.next(key));
  }

  private next(key: string): void {
    const queued = this.lanes.get(key) ?? [];
    if (queued.length === 0) {
      this.lanes.delete(key);
      return;
    }
    let bytes = queued[0]!.size;
    let count = 1;
    while (count < queued.length && count < this.limits.maxItems && bytes + queued[count]!.size <= this.limits.maxBytes) {
      bytes += queued[count]!.size;
      count += 1;
    }
    this.dispatch(key, queued.splice(0, count));
  }

  private giveUp(key: string, waiter: Waiter<T>, reason: unknown): void {
    if (waiter.settled) return;
    settle(waiter, { error: reason });
    const { batch } = waiter;
    if (batch === null) {
      const queued = this.lanes.get(key);
      queued?.splice(queued.indexOf(waiter), 1);
      return;
    }
    // Nobody left waiting for this send: stop it rather than hold a connection for no one.
    if (batch.waiters.every(({ settled }) => settled)) batch.controller.abort(reason);
  }

  private settleAll(waiters: ReadonlyArray<Waiter<T>>, failure: Failure | null): void {
    for (const waiter of waiters) if (!waiter.settled) settle(waiter, failure);
  }
}

/** Sends `items` as one signal; `signal` aborts it (every caller it carries gave up). */
export type BatchSend<T> = (items: T[], signal: AbortSignal) => Promise<void>;

export interface CoalescerLimits<T> {
  /** The most items one send carries (at least 1). */
  maxItems: number;
  /** The most bytes (as `sizeOf` counts them) one send carries, unless its first item alone is larger. */
  maxBytes: number;
  sizeOf(item: T): number;
}

interface Batch<T> {
  controller: AbortController;
  waiters: ReadonlyArray<Waiter<T>>;
}

interface Waiter<T> {
  item: T;
  send: BatchSend<T>;
  /** Its `sizeOf`, once it waits behind a send in flight (0 until then). */
  size: number;
  /** The send carrying it, once it is in flight. */
  batch: Batch<T> | null;
  settled: boolean;
  resolve: () => void;
  reject: (reason: unknown) => void;
  release: () => void;
}

interface Failure {
  error: unknown;
}

/** Resolves (no failure) or rejects the caller, once, and stops listening to its abort signal. */
function settle<T>(waiter: Waiter<T>, failure: Failure | null): void {
  waiter.settled = true;
  waiter.release();
  if (failure === null) waiter.resolve();
  else waiter.reject(failure.error);
}

/** Why the caller gave up, as an Error (AbortController.abort() may be given anything, or nothing). */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(`gave up: ${String(signal.reason)}`);
}
