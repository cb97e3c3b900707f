import { patched } from '@temporalio/workflow';
import type { PaymentWriteInput } from '../../../contracts/src/payment-write';

/** A change to the payment run's steps: its patch id (Temporal's patching API) and the steps revision that includes it. */
export interface RunStepChange {
  patchId: string;
  revision: number;
}

/**
 * Whether the run takes the step `change` brought. A run started at a revision that includes it
 * takes it without asking: no patch marker, which a new run would otherwise record for each change
 * it reaches, and with it an upsert of the `TemporalChangeVersion` search attribute (the SDK's core
 * adds one per patch) and a visibility write on the server. A callback cost two of each per
 * payment (BENCHMARKS.md, "Callbacks (issue 27)"). Runs started before carry no revision and
 * replay as their markers say. Deterministic either way: the input is part of the history.
 */
export function takesStep(input: PaymentWriteInput, change: RunStepChange): boolean {
  return startedAtRevision(input, change.revision) || patched(change.patchId);
}

/** Whether the run was started at `revision` or later. A step that came with a revision needs no patch: no run started before takes it. */
export function startedAtRevision(input: PaymentWriteInput, revision: number): boolean {
  return (input.stepsRevision ?? 0) >= revision;
}
