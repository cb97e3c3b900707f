import { proxySinks, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { RunConclusionSinks } from '../../contracts/src/run-conclusions';
import { PAYMENT_WRITE_WORKFLOW } from '../../contracts/src/workflow-definitions';

/**
 * Commands after which a run still waits for nothing but this process: its local activities run in
 * the worker, inside the same workflow task. Any other command (a timer, an activity task, a child,
 * the run's failure) hands the run to the server, where any worker may end it.
 */
const IN_PROCESS_COMMANDS: ReadonlySet<string> = new Set([
  'scheduleLocalActivity',
  'requestCancelLocalActivity',
  'upsertWorkflowSearchAttributes',
  'setPatchMarker',
  'respondToQuery',
  'modifyWorkflowProperties',
]);

/** Fields of a command beside the one naming its kind (coresdk.workflow_commands.WorkflowCommand). */
const COMMAND_METADATA: ReadonlySet<string> = new Set(['userMetadata', 'eventGroupMarkers']);

/** A command is an object with one field naming its kind, beside its metadata; an unknown field counts as leaving. */
function leavesProcess(command: object): boolean {
  return Object.keys(command).some((field) => !COMMAND_METADATA.has(field) && !IN_PROCESS_COMMANDS.has(field));
}

/**
 * Bundled as a workflow interceptor module (apps/worker/src/bundle-workflows.ts): tells the worker,
 * through the `runConclusions` sink, how a payment run's activations end (RunConclusionSinks). It
 * only reads the commands, never changes them, and sinks are not called on replay: histories are
 * unaffected. Other workflow types are left alone.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  if (workflowInfo().workflowType !== PAYMENT_WRITE_WORKFLOW) return {};
  const { runConclusions } = proxySinks<RunConclusionSinks>();
  let reported = false;
  return {
    internals: [
      {
        concludeActivation(input, next) {
          const output = next(input);
          if (reported) return output;
          for (const command of output.commands) {
            const completion = command.completeWorkflowExecution;
            if (completion?.result != null) {
              reported = true;
              runConclusions.returned({ metadata: completion.result.metadata ?? {}, data: completion.result.data ?? new Uint8Array() });
              return output;
            }
          }
          if (output.commands.some(leavesProcess)) {
            reported = true;
            runConclusions.leftProcess();
          }
          return output;
        },
      },
    ],
  };
};
