import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** One request of a step: where it goes and the headers that make it this payment and no other. */
export interface TargetRequest {
  path: string;
  headers: Record<string, string>;
}

/** Hands out a step's requests; autocannon asks for one right before sending it. */
export interface RequestSource {
  /** How many requests the source can hand out: the step never sends more. */
  readonly capacity: number;
  next(): TargetRequest;
}

export interface LoadStepOptions {
  baseUrl: string;
  connections: number;
  /** Seconds the step may last; null sends exactly `source.capacity` requests (a storm). */
  durationSeconds: number | null;
  source: RequestSource;
  timeoutSeconds: number;
}

/** What one autocannon run observed, before it is summarised. */
export interface StepObservation {
  answered: number;
  /** From the start of the run to its last answer. */
  elapsedSeconds: number;
  latenciesMs: number[];
  statusCounts: Record<string, number>;
  /** Answers carrying `Idempotent-Replayed: true`. */
  replayed: number;
  /** Connection errors and timeouts: requests that got no HTTP answer at all. */
  errors: number;
  timeouts: number;
  /** True when the step ended because its source ran out, not because its time was up. */
  reachedRequestLimit: boolean;
}

/** Runs autocannon once against `baseUrl`, drawing every request from `source`. */
export async function runLoadStep(options: LoadStepOptions): Promise<StepObservation> {
  const { source } = options;
  let handedOut = 0;
  let replayed = 0;
  let lastAnswerAt: number | null = null;
  const latenciesMs: number[] = [];
  const statusCounts: Record<string, number> = {};

  const startedAt = performance.now();
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    // The count bound: autocannon splits it between the connections, so the source never runs dry.
    ...(options.durationSeconds === null ? { amount: source.capacity } : { duration: options.durationSeconds, maxOverallRequests: source.capacity }),
    timeout: options.timeoutSeconds,
    // autocannon notices that a run is over only when it samples; sample often so it stops promptly.
    sampleInt: 50,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          handedOut += 1;
          const target = source.next();
          return { ...request, path: target.path, headers: { ...request.headers, ...target.headers } };
        },
        onResponse: (_status, _body, _context, headers) => {
          if (isReplayed(headers)) replayed += 1;
        },
      },
    ],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    lastAnswerAt = performance.now();
    latenciesMs.push(responseTimeMs);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const endedAt = lastAnswerAt ?? performance.now();
  return {
    answered: latenciesMs.length,
    elapsedSeconds: (endedAt - startedAt) / 1000,
    latenciesMs,
    statusCounts,
    replayed,
    errors: result.errors,
    timeouts: result.timeouts,
    reachedRequestLimit: handedOut >= source.capacity,
  };
}

function isReplayed(headers: Record<string, string | string[]>): boolean {
  return Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'idempotent-replayed' && value === 'true');
}
