import { documentedCreateAnswers, isFinalAnswer, labelAnswer } from './answers';
import type { KeyRecord } from './checkout';
import type { UpstreamEvidence } from './drill-evidence';
import { evaluateDrill, type DrillObservations } from './drill-result';

const ORDER_BODY = JSON.stringify({ id: 'ORD01J49MMW3SSBK5PSV3DFR32959', status: 'processed' });

function answeredKey(key: string): KeyRecord {
  return {
    key,
    orderId: 'ORD01J49MMW3SSBK5PSV3DFR32959',
    expected: '200 order',
    requests: 2,
    answers: { '423 resource_locked': 1, '200 order': 1 },
    final: { label: '200 order', status: 200, body: ORDER_BODY, orderId: 'ORD01J49MMW3SSBK5PSV3DFR32959' },
  };
}

function observations(records: KeyRecord[], upstream: Record<string, UpstreamEvidence>, overrides: Partial<DrillObservations> = {}): DrillObservations {
  return {
    drill: 'kill-worker',
    description: 'test',
    loadSeconds: 1,
    settleSeconds: 1,
    disruption: { events: [], recoverySeconds: 1 },
    records,
    upstream: new Map(Object.entries(upstream)),
    runsPerKey: new Map(records.map((record) => [record.key, 1])),
    runsByStatus: { COMPLETED: records.length },
    differingReplays: [],
    workflowTaskFailures: [],
    ...overrides,
  };
}

const once: UpstreamEvidence = { calls: 2, effects: 1, upstreamKeys: 1 };

describe('evaluateDrill', () => {
  it('passes a drill where every key was answered as its card decides, with one effect each', () => {
    const result = evaluateDrill(observations([answeredKey('a'), answeredKey('b')], { a: once, b: once }));
    expect(result.violations).toEqual([]);
    expect(Object.values(result.invariants).every(Boolean)).toBe(true);
    expect(result.answers).toEqual({ '423 resource_locked': 2, '200 order': 2 });
    expect(result.upstream).toEqual({ calls: 4, effects: 2, keysWithEffect: 2, maxEffectsPerKey: 1, maxUpstreamKeysPerKey: 1 });
  });

  it('fails on a second effect, or on a second upstream key for one key', () => {
    const result = evaluateDrill(observations([answeredKey('a'), answeredKey('b')], { a: { ...once, effects: 2 }, b: { ...once, upstreamKeys: 2 } }));
    expect(result.invariants.atMostOneEffectPerKey).toBe(false);
    expect(result.violations).toEqual(['atMostOneEffectPerKey: a: 2 effects under 1 upstream keys', 'atMostOneEffectPerKey: b: 1 effects under 2 upstream keys']);
  });

  it('fails on a key left without a final answer, or answered other than its card decides', () => {
    const unanswered = { ...answeredKey('a'), final: null };
    const declinedInstead = { ...answeredKey('b'), final: { label: '402 failed', status: 402, body: '{}', orderId: 'ORD01J49MMW3SSBK5PSV3DFR32959' } };
    const result = evaluateDrill(observations([unanswered, declinedInstead], { a: once, b: once }));
    expect(result.invariants.everyKeyAnswered).toBe(false);
    expect(result.keysAnswered).toBe(1);
    expect(result.violations).toHaveLength(2);
  });

  it('fails on an undocumented answer but not on connection errors', () => {
    const record = { ...answeredKey('a'), answers: { '200 order': 1, '502 undocumented': 1, 'no answer: ECONNREFUSED': 3 } };
    const result = evaluateDrill(observations([record], { a: once }));
    expect(result.invariants.onlyDocumentedAnswers).toBe(false);
    expect(result.violations).toEqual(['onlyDocumentedAnswers: 1 × 502 undocumented']);
  });

  it('fails on a differing replay and on a process that never recovered', () => {
    const result = evaluateDrill(observations([answeredKey('a')], { a: once }, { differingReplays: ['a: replay answered 500'], disruption: { events: [], recoverySeconds: null } }));
    expect(result.invariants.replaysIdentical).toBe(false);
    expect(result.invariants.stackRecovered).toBe(false);
  });

  it("fails on what the drill's own check found", () => {
    const result = evaluateDrill(observations([answeredKey('a')], { a: once }, { disruption: { events: [], problems: ['2 give-up read(s) while paused'] } }));
    expect(result.invariants.drillCheckHeld).toBe(false);
    expect(result.violations).toEqual(['drillCheckHeld: 2 give-up read(s) while paused']);
  });
});

describe('labelAnswer', () => {
  it('names documented answers by status and code, everything else as undocumented', () => {
    expect(labelAnswer(200, ORDER_BODY)).toBe('200 order');
    expect(labelAnswer(402, JSON.stringify({ errors: [{ code: 'failed', message: 'x' }], data: { id: 'ORD1' } }))).toBe('402 failed');
    expect(labelAnswer(423, JSON.stringify({ errors: [{ code: 'resource_locked', message: 'x' }] }))).toBe('423 resource_locked');
    expect(labelAnswer(500, JSON.stringify({ errors: [{ code: 'idempotency_validation_failed', message: 'x' }] }))).toBe('500 idempotency_validation_failed');
    expect(labelAnswer(500, '<html>Internal Server Error</html>')).toBe('500 undocumented');
    expect(labelAnswer(200, '{}')).toBe('200 undocumented');
    expect(labelAnswer(409, JSON.stringify({ errors: [{ code: 'operation_not_supported', message: 'x' }] }))).toBe('409 undocumented');
  });

  it("reads an order create's answers by its own list: 201 is its order, and no process answer's", () => {
    expect(labelAnswer(201, ORDER_BODY, documentedCreateAnswers)).toBe('201 order');
    expect(isFinalAnswer('201 order', documentedCreateAnswers)).toBe(true);
    expect(labelAnswer(201, ORDER_BODY)).toBe('201 undocumented');
    expect(labelAnswer(200, ORDER_BODY, documentedCreateAnswers)).toBe('200 undocumented');
    expect(isFinalAnswer('423 resource_locked', documentedCreateAnswers)).toBe(false);
  });
});
