import { documentedAnswers, documentedCreateAnswers } from '../drill/answers';
import type { UpstreamEvidence } from '../drill/drill-evidence';
import type { Sample } from './soak-sampler';
import type { TrafficLog } from './soak-traffic';

/** A process may grow this much between the second and the last quarter of a run: 20 % of its size then, and never less than 32 MiB (a GC cycle's swing). */
export const MEMORY_GROWTH = { ratio: 0.2, floorBytes: 32 * 1024 * 1024 } as const;
/** Events a follow-up may add after Temporal suggested continue-as-new: the read in progress and the notifications that come meanwhile. */
export const HISTORY_MARGIN_EVENTS = 100;
/** Visibility is written asynchronously: a run closed this long ago may still be listed as running. */
export const VISIBILITY_LAG_MS = 60_000;
/** Quarters need at least this many samples to say anything about growth. */
const MIN_SAMPLES_FOR_GROWTH = 8;
/** Below this many minutes the long-pending follow-ups cannot be expected to reach the continue-as-new threshold. */
const MIN_MINUTES_FOR_CONTINUE_AS_NEW = 5;
const EXAMPLES = 5;

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface SoakCheck {
  name: string;
  status: CheckStatus;
  detail: string;
}

/** Everything the checks read: the samples, the traffic and what the upstream and the callback endpoint saw. */
export interface SoakEvidence {
  minutes: number;
  lanes: number;
  suggestContinueAsNewAfterEvents: number;
  answerMemoryMaxBytes: number;
  ownershipTtlMs: number;
  /** Samples taken during the traffic, in order. */
  samples: readonly Sample[];
  /** The sample after the drain: every follow-up settled, every callback sent. */
  drained: Sample;
  traffic: TrafficLog;
  /** Differing replays of the final pass over every answered key. */
  finalReplays: readonly string[];
  upstream: ReadonlyMap<string, UpstreamEvidence>;
  /** Callback deliveries taken per idempotency key, the keys that should get one, and deliveries that did not verify. */
  callbacks: { delivered: ReadonlyMap<string, number>; expectedKeys: readonly string[]; bad: readonly string[] };
  /** Seconds each worker restart took until every readiness probe answered 200; null: not ready in time. */
  workerRestarts: readonly (number | null)[];
}

/** The soak's checks: growth stays bounded, histories stay under the threshold, and the traffic kept every payment invariant. */
export function checkSoak(evidence: SoakEvidence): SoakCheck[] {
  return [
    ...memoryChecks(evidence.samples),
    answerMemoryCheck(evidence),
    ownershipCheck(evidence),
    followUpCheck(evidence),
    ...growthChecks(evidence),
    historyCheck(evidence),
    continueAsNewCheck(evidence),
    drainedCheck(evidence.drained),
    ...trafficChecks(evidence),
  ];
}

/** A run's quarters by sample index: the second is [n/4, n/2), the last [3n/4, n). */
function quarters<T>(samples: readonly T[]): { second: T[]; last: T[] } {
  const n = samples.length;
  return { second: samples.slice(Math.floor(n / 4), Math.floor(n / 2)), last: samples.slice(Math.floor((3 * n) / 4)) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * Per process that ran through both quarters (a restarted worker is a new process: its pid
 * changes), its RSS and heap: the last quarter's median at most MEMORY_GROWTH above the second's.
 */
export function memoryChecks(samples: readonly Sample[]): SoakCheck[] {
  if (samples.length < MIN_SAMPLES_FOR_GROWTH) return [{ name: 'memory bounded', status: 'skipped', detail: `${samples.length} samples, fewer than ${MIN_SAMPLES_FOR_GROWTH}` }];
  const { second, last } = quarters(samples);
  const names = [...new Set(samples.flatMap((sample) => sample.processes.map((process) => process.name)))];
  return names.map((name) => {
    const of = (sample: Sample) => sample.processes.find((process) => process.name === name);
    const pids = new Set([...second, ...last].map((sample) => of(sample)?.pid ?? null));
    if (pids.size !== 1 || pids.has(null)) return { name: `memory bounded: ${name}`, status: 'skipped', detail: 'restarted during the run (or not read): a new process each time' };
    const problems: string[] = [];
    const figures: string[] = [];
    for (const measure of ['rssBytes', 'heapUsedBytes'] as const) {
      const values = (part: Sample[]) => part.flatMap((sample) => of(sample)?.[measure] ?? []);
      const [before, after] = [median(values(second)), median(values(last))];
      const allowed = Math.max(MEMORY_GROWTH.floorBytes, MEMORY_GROWTH.ratio * before);
      figures.push(`${measure === 'rssBytes' ? 'RSS' : 'heap'} ${mebibytes(before)} → ${mebibytes(after)} (allowed +${mebibytes(allowed)})`);
      if (values(second).length === 0 || values(last).length === 0) problems.push(`${measure} not read`);
      else if (after - before > allowed) problems.push(`${measure} grew ${mebibytes(after - before)}`);
    }
    return { name: `memory bounded: ${name}`, status: problems.length === 0 ? 'pass' : 'fail', detail: [...problems, ...figures].join('; ') };
  });
}

function answerMemoryCheck({ samples, answerMemoryMaxBytes }: SoakEvidence): SoakCheck {
  const readings = samples.flatMap((sample) => sample.processes.filter((process) => process.app === 'api').map((process) => process.answerMemoryBytes));
  const highest = Math.max(0, ...readings.map((bytes) => bytes ?? 0));
  const unread = readings.filter((bytes) => bytes === null).length;
  const passed = readings.length > 0 && unread === 0 && highest <= answerMemoryMaxBytes;
  return {
    name: 'answer memory within ANSWER_MEMORY_MAX_BYTES',
    status: passed ? 'pass' : 'fail',
    detail: `highest ${mebibytes(highest)} of ${mebibytes(answerMemoryMaxBytes)}${unread > 0 ? `, ${unread} readings missing` : ''}`,
  };
}

/** Open ownership records at each sample: no more than the orders created through the API within their lifetime (plus visibility's lag) before it. */
function ownershipCheck({ samples, traffic, ownershipTtlMs }: SoakEvidence): SoakCheck {
  const failures = samples.flatMap((sample) => {
    const at = Date.parse(sample.at);
    const bound = traffic.creates.filter((create) => create.sentAt <= at && create.sentAt > at - ownershipTtlMs - VISIBILITY_LAG_MS).length;
    const open = sample.openWorkflows.orderOwnershipWorkflow ?? 0;
    return open > bound ? [`${sample.elapsedSeconds} s: ${open} open, ${bound} created within the records' lifetime`] : [];
  });
  const highest = Math.max(0, ...samples.map((sample) => sample.openWorkflows.orderOwnershipWorkflow ?? 0));
  return verdict('open ownership records within the orders created in their lifetime', failures, `highest ${highest} open; ${traffic.creates.length} creates in all`);
}

/** Open follow-ups at each sample: no more than the pending payments answered and not yet settled (or settled within visibility's lag), plus one per lane in flight. */
function followUpCheck({ samples, traffic, lanes }: SoakEvidence): SoakCheck {
  const failures = samples.flatMap((sample) => {
    const at = Date.parse(sample.at);
    const waiting = traffic.pending.filter((order) => order.answeredAt <= at && (order.settledAt === null || order.settledAt > at - VISIBILITY_LAG_MS)).length;
    const open = sample.openWorkflows.orderFollowUpWorkflow ?? 0;
    return open > waiting + lanes ? [`${sample.elapsedSeconds} s: ${open} open, ${waiting} pending payments waiting, ${lanes} lanes`] : [];
  });
  const highest = Math.max(0, ...samples.map((sample) => sample.openWorkflows.orderFollowUpWorkflow ?? 0));
  return verdict('open follow-ups within the pending payments waiting', failures, `highest ${highest} open; ${traffic.pending.length} pending payments in all`);
}

/**
 * Payment runs and callbacks close as they answer, and the clients' callbacks workflows deliver
 * what they are handed: the last quarter's highest count no more than 1.5 × the second quarter's,
 * plus two per lane. A sample whose callbacks workflows were not all read says nothing of them.
 */
function growthChecks({ samples, lanes }: SoakEvidence): SoakCheck[] {
  return [
    ...['paymentWriteWorkflow', 'paymentRunCallbackWorkflow'].map((type) => notGrowing(`open ${type} runs not growing`, samples, lanes, (sample) => sample.openWorkflows[type] ?? 0)),
    notGrowing('callback events pending not growing', samples, lanes, (sample) => (sample.callbackEvents.unread.length === 0 ? sample.callbackEvents.pending : null)),
  ];
}

/** `value` null: not read at that sample. A quarter with no reading fails: growth that could not be seen is not ruled out. */
function notGrowing(name: string, samples: readonly Sample[], lanes: number, value: (sample: Sample) => number | null): SoakCheck {
  if (samples.length < MIN_SAMPLES_FOR_GROWTH) return { name, status: 'skipped', detail: `${samples.length} samples, fewer than ${MIN_SAMPLES_FOR_GROWTH}` };
  const { second, last } = quarters(samples);
  const readings = (part: readonly Sample[]) => part.flatMap((sample) => value(sample) ?? []);
  const unread = samples.length - readings(samples).length;
  const unreadDetail = unread > 0 ? `; ${unread} samples not read` : '';
  if (readings(second).length === 0 || readings(last).length === 0) return { name, status: 'fail', detail: `not read in the second or the last quarter${unreadDetail}` };
  const [before, after] = [Math.max(...readings(second)), Math.max(...readings(last))];
  const allowed = Math.max(1.5 * before, before + 2 * lanes);
  return { name, status: after <= allowed ? 'pass' : 'fail', detail: `highest ${before} in the second quarter, ${after} in the last (allowed ${allowed})${unreadDetail}` };
}

function historyCheck({ samples, suggestContinueAsNewAfterEvents }: SoakEvidence): SoakCheck {
  const limit = suggestContinueAsNewAfterEvents + HISTORY_MARGIN_EVENTS;
  const failures = samples.flatMap((sample) =>
    Object.entries(sample.histories).flatMap(([type, history]) => (history.max > limit ? [`${sample.elapsedSeconds} s: an open ${type} has ${history.max} events`] : [])),
  );
  const highest = Math.max(0, ...samples.flatMap((sample) => Object.values(sample.histories).map((history) => history.max)));
  return verdict(
    'open histories under the continue-as-new threshold',
    failures,
    `longest ${highest} events; limit ${limit} (threshold ${suggestContinueAsNewAfterEvents} + ${HISTORY_MARGIN_EVENTS})`,
  );
}

function continueAsNewCheck({ samples, minutes }: SoakEvidence): SoakCheck {
  const name = 'long-pending follow-ups continued as new';
  const count = samples.at(-1)?.continuedAsNew.orderFollowUpWorkflow ?? 0;
  if (minutes < MIN_MINUTES_FOR_CONTINUE_AS_NEW) return { name, status: 'skipped', detail: `a ${minutes}-minute run: ${count} continue-as-new` };
  return { name, status: count > 0 ? 'pass' : 'fail', detail: `${count} runs continued as new` };
}

/**
 * After the drain nothing is open but ownership records, and the clients' callbacks workflows hold
 * no event: none pending, none read as unknown, and none undelivered, as the soak's receiver
 * refuses no event for good (one delivery in ten by arrival, whichever event it is; each is
 * retried within seconds, and the horizon is hours).
 */
function drainedCheck(drained: Sample): SoakCheck {
  const left = ['paymentWriteWorkflow', 'orderFollowUpWorkflow', 'paymentRunCallbackWorkflow'].filter((type) => (drained.openWorkflows[type] ?? 0) > 0);
  const events = drained.callbackEvents;
  const named = (names: readonly string[], count: number) => `${names.join(', ')}${count > names.length ? ', …' : ''}`;
  return verdict(
    'nothing left open or pending after the drain but ownership records',
    [
      ...left.map((type) => `${drained.openWorkflows[type]} ${type} open`),
      ...(events.pending > 0 ? [`${events.pending} callback events pending: ${named(events.named.pending, events.pending)}`] : []),
      ...(events.undelivered > 0 ? [`${events.undelivered} callback events undelivered: ${named(events.named.undelivered, events.undelivered)}`] : []),
      ...events.unread.map((reason) => `callbacks workflow not read, its events unknown: ${reason}`),
    ],
    `${drained.openWorkflows.orderOwnershipWorkflow ?? 0} ownership records still within their lifetime; ${events.workflows} callbacks workflows read`,
  );
}

function trafficChecks({ traffic, finalReplays, upstream, callbacks, workerRestarts }: SoakEvidence): SoakCheck[] {
  const { keys, creates } = traffic;
  const labels = [
    ...keys.flatMap((key) => Object.keys(key.answers).filter((label) => !(label in documentedAnswers))),
    ...creates.flatMap((create) => Object.keys(create.answers).filter((label) => !(label in documentedCreateAnswers))),
  ];
  const missing = callbacks.expectedKeys.filter((key) => (callbacks.delivered.get(key) ?? 0) === 0);
  return [
    verdict(
      'every key answered with its documented outcome',
      [
        ...keys
          .filter((key) => key.final?.label !== key.expected || key.final.orderId !== key.orderId)
          .map((key) => `${key.key}: expected ${key.expected}, got ${key.final?.label ?? 'nothing'}`),
        ...creates.filter((create) => create.final === null).map((create) => `${create.key}: the create got no final answer`),
      ],
      `${keys.length} payment keys, ${creates.length} creates`,
    ),
    verdict('every HTTP answer a documented one', [...new Set(labels.filter((label) => !label.startsWith('no answer')))], ''),
    verdict('replays byte-identical', [...traffic.replays.differing, ...finalReplays], `${traffic.replays.sent} during the traffic, then every answered key once more`),
    verdict(
      'at most one upstream effect per key, under one upstream key',
      [...upstream]
        .filter(([, found]) => found.effects > 1 || found.upstreamKeys > 1)
        .map(([key, found]) => `${key}: ${found.effects} effects under ${found.upstreamKeys} upstream keys`),
      '',
    ),
    verdict(
      'every payment of the callback client called back, signed',
      [...missing.map((key) => `${key}: no callback`), ...callbacks.bad.map((body) => `unverified delivery: ${body}`)],
      `${callbacks.expectedKeys.length} keys`,
    ),
    verdict(
      'every worker restart ready again',
      workerRestarts.flatMap((seconds, index) => (seconds === null ? [`restart ${index + 1} not ready in time`] : [])),
      `${workerRestarts.length} restarts, ready after ${workerRestarts.map((seconds) => seconds?.toFixed(1) ?? '—').join(', ')} s`,
    ),
  ];
}

function verdict(name: string, failures: readonly string[], detail: string): SoakCheck {
  const shown = failures.slice(0, EXAMPLES).join('; ') + (failures.length > EXAMPLES ? `; … ${failures.length - EXAMPLES} more` : '');
  return { name, status: failures.length === 0 ? 'pass' : 'fail', detail: [shown, detail].filter((text) => text !== '').join(' — ') };
}
