import { patched } from '@temporalio/workflow';
import { PAYMENT_RUN_STEPS_REVISION, type PaymentWriteInput } from '../../../contracts/src/payment-write';

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

/**
 * A run started at a revision this code does not know (a newer API beside this older worker) must
 * not run here: its steps would differ from the ones the newer workers replay. Throwing fails only
 * the workflow task, which Temporal retries until a worker that knows the revision takes it.
 */
export function refuseUnknownRevision(input: PaymentWriteInput): void {
  const revision = input.stepsRevision ?? 0;
  if (revision > PAYMENT_RUN_STEPS_REVISION) {
    throw new Error(`this run takes the steps of revision ${revision}; this worker knows revision ${PAYMENT_RUN_STEPS_REVISION} at most, so a newer one must run it`);
  }
}
