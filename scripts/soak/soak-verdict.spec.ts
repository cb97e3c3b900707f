import type { CallbackEventsSample, ProcessSample, Sample } from './soak-sampler';
import type { DocumentedAnswer } from '../drill/answers';
import type { SoakKey, TrafficLog } from './soak-traffic';
import { checkSoak, HISTORY_MARGIN_EVENTS, memoryChecks, MEMORY_GROWTH, type SoakEvidence } from './soak-verdict';

const MiB = 1024 * 1024;
const START = Date.parse('2026-12-06T05:00:00Z');

function processAt(name: string, rssMiB: number, pid = 100): ProcessSample {
  const app = name.startsWith('api') ? 'api' : 'worker';
  return { name, app, pid, rssBytes: rssMiB * MiB, heapUsedBytes: 50 * MiB, answerMemoryBytes: app === 'api' ? 1 * MiB : null, answerMemoryEntries: app === 'api' ? 1000 : null };
}

function callbackEvents(pending: number, overrides: Partial<CallbackEventsSample> = {}): CallbackEventsSample {
  const named = Array.from({ length: Math.min(pending, 5) }, (_, index) => `event-${index}`);
  return { workflows: 1, pending, undelivered: 0, named: { pending: named, undelivered: [] }, unread: [], ...overrides };
}

function sampleAt(index: number, overrides: Partial<Sample> = {}): Sample {
  return {
    at: new Date(START + index * 30_000).toISOString(),
    elapsedSeconds: index * 30,
    processes: [processAt('api', 300), processAt('worker', 200)],
    openWorkflows: { paymentWriteWorkflow: 4, orderFollowUpWorkflow: 3, orderOwnershipWorkflow: 10, paymentRunCallbackWorkflow: 2 },
    continuedAsNew: { orderFollowUpWorkflow: index },
    histories: { orderFollowUpWorkflow: { sampled: 3, max: 250, median: 100 }, orderOwnershipWorkflow: { sampled: 10, max: 5, median: 5 } },
    callbackEvents: callbackEvents(4),
    traffic: { keys: index * 10, answered: index * 10, creates: index, pendingWaiting: 3, replays: index },
    ...overrides,
  };
}

/** A soak of `count` samples where nothing grows and every payment went as documented. */
function evidence(count: number, overrides: Partial<SoakEvidence> = {}): SoakEvidence {
  const traffic: TrafficLog = {
    keys: [],
    // Ten orders created through the API in the minute before every sample.
    creates: Array.from({ length: count * 10 }, (_, index) => ({
      key: `c${index}`,
      clientId: 'shop',
      sentAt: START + index * 3_000 - 60_000,
      requests: 1,
      answers: { '201 order': 1 },
      final: { label: '201 order', status: 201, body: '{}', orderId: 'ORD1' },
    })),
    pending: [0, 1, 2].map((index) => ({ key: `p${index}`, orderId: `ORD${index}`, answeredAt: START - 1, settledAt: null, outcome: 'approved' as const })),
    replays: { sent: 5, differing: [] },
  };
  return {
    minutes: 25,
    lanes: 6,
    suggestContinueAsNewAfterEvents: 300,
    answerMemoryMaxBytes: 2 * MiB,
    ownershipTtlMs: 5 * 60_000,
    samples: Array.from({ length: count }, (_, index) => sampleAt(index)),
    drained: sampleAt(count, {
      openWorkflows: { paymentWriteWorkflow: 0, orderFollowUpWorkflow: 0, orderOwnershipWorkflow: 10, paymentRunCallbackWorkflow: 0 },
      callbackEvents: callbackEvents(0),
    }),
    traffic,
    finalReplays: [],
    upstream: new Map(),
    callbacks: { delivered: new Map([['k1', 1]]), expectedKeys: ['k1'], bad: [] },
    workerRestarts: [3.2, 4.1],
    ...overrides,
  };
}

const failed = (checks: ReturnType<typeof checkSoak>) => checks.filter((check) => check.status === 'fail').map((check) => check.name);

describe('checkSoak', () => {
  it('passes a run where nothing grows, histories stay short and every payment went as documented', () => {
    expect(failed(checkSoak(evidence(40)))).toEqual([]);
  });

  it('passes a run where a callbacks workflow went unread at a few samples (a worker restarting) but never between the drain and the checks', () => {
    const run = evidence(40);
    const samples = run.samples.map((sample, index) =>
      index % 8 === 0 ? { ...sample, callbackEvents: callbackEvents(0, { unread: ['client-callbacks drill-callbacks drill: deadline exceeded'] }) } : sample,
    );
    expect(failed(checkSoak({ ...run, samples }))).toEqual([]);
  });

  it('fails a process whose memory grew past the limit between the second and the last quarter', () => {
    const samples = Array.from({ length: 40 }, (_, index) => sampleAt(index, { processes: [processAt('api', 300 + index * 5), processAt('worker', 200)] }));
    const checks = memoryChecks(samples);
    expect(checks.find((check) => check.name === 'memory bounded: api')).toMatchObject({ status: 'fail', detail: expect.stringContaining('rssBytes grew') as unknown });
    expect(checks.find((check) => check.name === 'memory bounded: worker')?.status).toBe('pass');
  });

  it('lets memory move within the limit: a GC swing of the floor, or the ratio of a large process', () => {
    const swing = MEMORY_GROWTH.floorBytes / MiB - 1;
    const samples = Array.from({ length: 40 }, (_, index) => sampleAt(index, { processes: [processAt('api', index < 30 ? 100 : 100 + swing), processAt('worker', 200)] }));
    expect(memoryChecks(samples).every((check) => check.status === 'pass')).toBe(true);
  });

  it('skips a process restarted during the run (a new process each time), and growth on too few samples', () => {
    const samples = Array.from({ length: 40 }, (_, index) => sampleAt(index, { processes: [processAt('api', 300), processAt('worker', 200, 100 + Math.floor(index / 8))] }));
    expect(memoryChecks(samples).find((check) => check.name === 'memory bounded: worker')?.status).toBe('skipped');
    expect(memoryChecks(samples.slice(0, 4))).toEqual([expect.objectContaining({ status: 'skipped' })]);
  });

  it('fails ownership records open beyond the orders created within their lifetime', () => {
    const run = evidence(40);
    const samples = run.samples.map((sample, index) => (index === 20 ? { ...sample, openWorkflows: { ...sample.openWorkflows, orderOwnershipWorkflow: 500 } } : sample));
    expect(failed(checkSoak({ ...run, samples }))).toEqual(['open ownership records within the orders created in their lifetime']);
  });

  it('fails follow-ups open beyond the pending payments waiting (plus one per lane)', () => {
    const run = evidence(40);
    const samples = run.samples.map((sample, index) => (index === 30 ? { ...sample, openWorkflows: { ...sample.openWorkflows, orderFollowUpWorkflow: 3 + 6 + 1 } } : sample));
    expect(failed(checkSoak({ ...run, samples }))).toEqual(['open follow-ups within the pending payments waiting']);
  });

  it('fails an open history past the continue-as-new threshold and its margin, and a long run with no continue-as-new', () => {
    const run = evidence(40);
    const samples = run.samples.map((sample) => ({
      ...sample,
      continuedAsNew: { orderFollowUpWorkflow: 0 },
      histories: { ...sample.histories, orderFollowUpWorkflow: { sampled: 3, max: 300 + HISTORY_MARGIN_EVENTS + 1, median: 100 } },
    }));
    expect(failed(checkSoak({ ...run, samples }))).toEqual(['open histories under the continue-as-new threshold', 'long-pending follow-ups continued as new']);
  });

  it('fails payment and callback runs that keep piling up, an answer memory past its bound, and anything but ownership records left open after the drain', () => {
    const run = evidence(40);
    const samples = run.samples.map((sample, index) => ({
      ...sample,
      openWorkflows: { ...sample.openWorkflows, paymentWriteWorkflow: index * 3, paymentRunCallbackWorkflow: index * 3 },
      processes: [{ ...processAt('api', 300), answerMemoryBytes: 3 * MiB }, processAt('worker', 200)],
    }));
    const drained = { ...run.drained, openWorkflows: { ...run.drained.openWorkflows, orderFollowUpWorkflow: 1 } };
    expect(failed(checkSoak({ ...run, samples, drained }))).toEqual([
      'answer memory within ANSWER_MEMORY_MAX_BYTES',
      'open paymentWriteWorkflow runs not growing',
      'open paymentRunCallbackWorkflow runs not growing',
      'nothing left open or pending after the drain but ownership records',
    ]);
  });

  it('fails callback events still pending in a callbacks workflow after the drain, and names them', () => {
    const run = evidence(40);
    const drained = { ...run.drained, callbackEvents: callbackEvents(7) };
    const check = checkSoak({ ...run, drained }).find((found) => found.status === 'fail');
    expect(check).toMatchObject({
      name: 'nothing left open or pending after the drain but ownership records',
      detail: expect.stringContaining('7 callback events pending: event-0, event-1, event-2, event-3, event-4, …') as unknown,
    });
  });

  it('fails a drain whose callbacks workflow could not be read: unknown is not none pending', () => {
    const run = evidence(40);
    const drained = { ...run.drained, callbackEvents: callbackEvents(0, { unread: ['client-callbacks drill-callbacks drill: workflow not found'] }) };
    expect(checkSoak({ ...run, drained }).filter((check) => check.status === 'fail')).toEqual([
      expect.objectContaining({
        name: 'nothing left open or pending after the drain but ownership records',
        detail: expect.stringContaining('callbacks workflow not read, its events unknown: client-callbacks drill-callbacks drill: workflow not found') as unknown,
      }),
    ]);
  });

  it('fails callback events given up as undelivered: the soak’s receiver refuses none for good', () => {
    const run = evidence(40);
    const drained = { ...run.drained, callbackEvents: callbackEvents(0, { undelivered: 1, named: { pending: [], undelivered: ['soak-key-12'] } }) };
    expect(checkSoak({ ...run, drained }).find((check) => check.status === 'fail')?.detail).toContain('1 callback events undelivered: soak-key-12');
  });

  it('fails callback events pending that keep piling up, and a quarter where they were never read', () => {
    const run = evidence(40);
    const growing = run.samples.map((sample, index) => ({ ...sample, callbackEvents: callbackEvents(index * 3) }));
    expect(failed(checkSoak({ ...run, samples: growing }))).toEqual(['callback events pending not growing']);
    const unreadLate = run.samples.map((sample, index) =>
      index >= 30 ? { ...sample, callbackEvents: callbackEvents(0, { unread: ['client-callbacks drill-callbacks drill: deadline exceeded'] }) } : sample,
    );
    expect(checkSoak({ ...run, samples: unreadLate }).find((check) => check.name === 'callback events pending not growing')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('not read in the second or the last quarter; 10 samples not read') as unknown,
    });
  });

  it('fails the payment invariants: a replay that differed, a missing callback, a worker not ready again', () => {
    const run = evidence(40, {
      finalReplays: ['k9: replay answered 500'],
      callbacks: { delivered: new Map(), expectedKeys: ['k1'], bad: [] },
      workerRestarts: [3, null],
    });
    expect(failed(checkSoak(run))).toEqual(['replays byte-identical', 'every payment of the callback client called back, signed', 'every worker restart ready again']);
  });

  it('fails the other payment invariants: a key answered otherwise than its card decides, a create never answered, an undocumented answer, a second effect or upstream key', () => {
    const run = evidence(40);
    const paid = (key: string, answers: Record<string, number>, final: DocumentedAnswer): SoakKey => ({
      key,
      kind: 'pay',
      clientId: 'shop',
      sentAt: START,
      orderId: `ORD-${key}`,
      expected: '200 order',
      requests: Object.values(answers).reduce((sum, count) => sum + count, 0),
      answers,
      final: { label: final, status: Number(final.split(' ')[0]), body: '{}', orderId: `ORD-${key}` },
    });
    const traffic: TrafficLog = {
      ...run.traffic,
      keys: [paid('declined', { '402 failed': 1 }, '402 failed'), paid('undocumented', { '502 undocumented': 1, '200 order': 1 }, '200 order')],
      creates: [...run.traffic.creates, { key: 'lost', clientId: 'shop', sentAt: START, requests: 1, answers: { 'no answer: client timeout': 1 }, final: null }],
    };
    const upstream = new Map([
      ['twice', { calls: 2, effects: 2, upstreamKeys: 1 }],
      ['rekeyed', { calls: 2, effects: 1, upstreamKeys: 2 }],
    ]);

    const checks = checkSoak({ ...run, traffic, upstream });

    expect(failed(checks)).toEqual([
      'every key answered with its documented outcome',
      'every HTTP answer a documented one',
      'at most one upstream effect per key, under one upstream key',
    ]);
    const detail = (name: string) => checks.find((check) => check.name === name)?.detail;
    expect(detail('every key answered with its documented outcome')).toMatch(/^declined: expected 200 order, got 402 failed; lost: the create got no final answer/);
    expect(detail('every HTTP answer a documented one')).toBe('502 undocumented');
    expect(detail('at most one upstream effect per key, under one upstream key')).toBe('twice: 2 effects under 1 upstream keys; rekeyed: 1 effects under 2 upstream keys');
  });
});
