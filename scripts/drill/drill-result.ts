import type { MachineDescription } from '../bench/machine';
import { documentedAnswers } from './answers';
import type { KeyRecord } from './checkout';
import type { UpstreamEvidence } from './drill-evidence';
import type { DisruptionLog } from './drill';

/** The invariants every drill must hold; a drill that breaks one fails the run. */
export const invariantNames = {
  atMostOneEffectPerKey: 'at most one upstream effect per key, under one upstream key',
  everyKeyAnswered: "every key answered with its card's documented outcome",
  onlyDocumentedAnswers: 'every HTTP answer a documented one',
  replaysIdentical: 'a later replay of every key is byte-identical',
  stackRecovered: 'a killed process was back and ready in time',
  drillCheckHeld: "the drill's own check held (long outages: runs gave up without a pause, none while paused)",
  noWorkflowTaskFailed: "no workflow task failed (every history of the drill's runs, children included)",
} as const;

export type InvariantName = keyof typeof invariantNames;

export interface DrillResult {
  drill: string;
  description: string;
  loadSeconds: number;
  /** From the end of the load until the last key had its answer (or its deadline passed). */
  settleSeconds: number;
  disruption: DisruptionLog;
  requests: number;
  /** Answers by label over all requests, connection errors as `no answer: …`. */
  answers: Record<string, number>;
  keys: number;
  keysAnswered: number;
  runs: { total: number; byStatus: Record<string, number>; maxPerKey: number; keysWithoutRun: number };
  upstream: { calls: number; effects: number; keysWithEffect: number; maxEffectsPerKey: number; maxUpstreamKeysPerKey: number };
  invariants: Record<InvariantName, boolean>;
  /** Up to a few examples per broken invariant, naming the key. */
  violations: string[];
}

export interface DrillRunResult {
  startedAt: string;
  finishedAt: string;
  mode: 'quick' | 'full';
  machine: MachineDescription;
  configuration: Record<string, unknown>;
  drills: DrillResult[];
  passed: boolean;
}

const EXAMPLES_PER_INVARIANT = 5;

export interface DrillObservations {
  drill: string;
  description: string;
  loadSeconds: number;
  settleSeconds: number;
  disruption: DisruptionLog;
  records: readonly KeyRecord[];
  upstream: ReadonlyMap<string, UpstreamEvidence>;
  runsPerKey: ReadonlyMap<string, number>;
  runsByStatus: Record<string, number>;
  differingReplays: readonly string[];
  /** `<workflow id>: <cause>` for each failed workflow task in the histories of the runs started during the drill. */
  workflowTaskFailures: readonly string[];
}

/** Counts what a drill saw and checks the invariants against it. */
export function evaluateDrill(observed: DrillObservations): DrillResult {
  const { records } = observed;
  const answers: Record<string, number> = {};
  for (const record of records) for (const [label, count] of Object.entries(record.answers)) answers[label] = (answers[label] ?? 0) + count;
  const evidence = records.map((record) => ({ record, upstream: observed.upstream.get(record.key) ?? { calls: 0, effects: 0, upstreamKeys: 0 } }));

  const violations: string[] = [];
  const check = (name: InvariantName, failures: readonly string[]): boolean => {
    violations.push(...failures.slice(0, EXAMPLES_PER_INVARIANT).map((failure) => `${name}: ${failure}`));
    if (failures.length > EXAMPLES_PER_INVARIANT) violations.push(`${name}: … ${failures.length - EXAMPLES_PER_INVARIANT} more`);
    return failures.length === 0;
  };
  const invariants: Record<InvariantName, boolean> = {
    atMostOneEffectPerKey: check(
      'atMostOneEffectPerKey',
      evidence
        .filter(({ upstream }) => upstream.effects > 1 || upstream.upstreamKeys > 1)
        .map(({ record, upstream }) => `${record.key}: ${upstream.effects} effects under ${upstream.upstreamKeys} upstream keys`),
    ),
    everyKeyAnswered: check(
      'everyKeyAnswered',
      records
        .filter((record) => record.final?.label !== record.expected || record.final.orderId !== record.orderId)
        .map(
          (record) =>
            `${record.key}: expected ${record.expected}, got ${record.final === null ? 'no final answer by its deadline' : `${record.final.label} for ${record.final.orderId}`}`,
        ),
    ),
    onlyDocumentedAnswers: check(
      'onlyDocumentedAnswers',
      Object.entries(answers)
        .filter(([label]) => !(label in documentedAnswers) && !label.startsWith('no answer'))
        .map(([label, count]) => `${count} × ${label}`),
    ),
    replaysIdentical: check('replaysIdentical', observed.differingReplays),
    stackRecovered: check('stackRecovered', observed.disruption.recoverySeconds === null ? ['not ready again within the recovery timeout'] : []),
    drillCheckHeld: check('drillCheckHeld', observed.disruption.problems ?? []),
    noWorkflowTaskFailed: check('noWorkflowTaskFailed', observed.workflowTaskFailures),
  };

  const effects = evidence.map(({ upstream }) => upstream.effects);
  return {
    drill: observed.drill,
    description: observed.description,
    loadSeconds: observed.loadSeconds,
    settleSeconds: observed.settleSeconds,
    disruption: observed.disruption,
    requests: records.reduce((sum, record) => sum + record.requests, 0),
    answers,
    keys: records.length,
    keysAnswered: records.filter((record) => record.final !== null).length,
    runs: {
      total: [...observed.runsPerKey.values()].reduce((sum, count) => sum + count, 0),
      byStatus: observed.runsByStatus,
      maxPerKey: Math.max(0, ...observed.runsPerKey.values()),
      keysWithoutRun: records.filter((record) => !observed.runsPerKey.has(record.key)).length,
    },
    upstream: {
      calls: evidence.reduce((sum, { upstream }) => sum + upstream.calls, 0),
      effects: effects.reduce((sum, count) => sum + count, 0),
      keysWithEffect: effects.filter((count) => count > 0).length,
      maxEffectsPerKey: Math.max(0, ...effects),
      maxUpstreamKeysPerKey: Math.max(0, ...evidence.map(({ upstream }) => upstream.upstreamKeys)),
    },
    invariants,
    violations,
  };
}
