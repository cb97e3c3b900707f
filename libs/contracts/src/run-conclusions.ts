import type { Payload, Sinks } from '@temporalio/workflow';

/**
 * What a payment run's workflow tells the worker running it when one of its activations ends
 * (libs/workflows/src/run-conclusions.interceptor.ts), so that the API can answer from its own
 * hosted worker instead of asking Temporal for the result (docs/architecture.md, "Answering from
 * the hosted worker"). Sinks leave the sandbox before the activation's completion is even sent to
 * the server: neither call says the server accepted anything. Reported once per run at most.
 */
export interface RunConclusionSinks extends Sinks {
  runConclusions: {
    /** The run returned this result (the payload converter's, before any codec) in this activation. */
    returned(result: Payload): void;
    /** The run now waits for the server (a timer, an activity task, a child, its failure): it may end anywhere. */
    leftProcess(): void;
  };
}
