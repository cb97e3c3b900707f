import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCurrentVersion } from '../lib/worker-deployment';
import { bundleChangedBuild } from './changed-build/bundle';
import { DRILL_DEPLOYMENT, FIRST_BUILD } from './drill-stack';
import type { Drill, DrillContext } from './drill';

const NEXT_BUILD = 'build-2';
/** A payment run ends within its execution timeout (the drill's 60 s budget + 2 × 2 s + 60 s): its pinned build's workers stay that long at most. */
const DRAIN_TIMEOUT_MS = 150_000;
const DRAIN_POLL_MS = 1_000;
/**
 * A run's version shows in visibility only once its first workflow task has completed, within the
 * workflow task timeout (10 s): a run started on the old build just before the switch, its first
 * attempt still in flight, is invisible to the query until then (seen: 14 such runs stranded when
 * the drill stopped the old workers at once). Temporal's own drainage status waits 3 minutes.
 */
const DRAIN_VISIBILITY_GRACE_MS = 15_000;
/** The changed build's bundle, from `prepare` until the drill is over. */
let changedBundle: string | null = null;

/**
 * docs/operations.md, "Rolling out a new build", under load: a changed build's worker starts beside
 * the first build's two, the deployment makes it current, the first build's pinned payment runs
 * end, the first build's workers are replaced by the new build's, then each API is restarted on
 * the new build. The changed build's payment workflow cannot replay the first build's histories
 * (changed-build/workflows.ts), so any run moved across builds shows as a failed workflow task.
 */
export const rolloutDrill: Drill = {
  name: 'rollout',
  description: 'roll a changed build out under load: new workers beside the old, made current, old runs drained, old workers replaced, APIs restarted on it',
  only: 'postgres',
  // About two minutes even in quick mode: `--quick --only rollout` runs it, the cluster lane's quick drills do not.
  notInQuick: true,
  // Long enough for the whole rollout to happen under load.
  loadSeconds: { quick: 60, full: 90 },
  // Bundling is seconds of CPU: done before the load, so the checkouts are not stalled by it.
  prepare: async () => {
    const directory = mkdtempSync(join(tmpdir(), 'drill-rollout-'));
    changedBundle = await bundleChangedBuild(directory);
    return () => {
      changedBundle = null;
      rmSync(directory, { recursive: true, force: true });
    };
  },
  disrupt: async (context) => {
    if (changedBundle === null) throw new Error('the rollout drill was not prepared');
    const next = { WORKER_BUILD_ID: NEXT_BUILD, WORKFLOW_BUNDLE_PATH: changedBundle };
    // Somewhere in the load, with keys in every phase, and time left for the whole rollout under load.
    await new Promise((resolve) => setTimeout(resolve, context.loadMs * 0.1));
    const started = Date.now();
    note(context, `starting a ${NEXT_BUILD} worker (changed workflow) beside the two ${FIRST_BUILD} workers`);
    await context.stack.startWorker('worker-next', next);
    // Runs in flight across the switch: the next calls act only after their attempt timed out, so
    // those runs are still retrying (more workflow tasks to come) when the new build becomes current.
    await context.simulator.injectProcessFault({ type: 'delay', ms: context.attemptTimeoutMs + 1_000 }, context.burstSize);
    note(context, `the next ${context.burstSize} upstream calls delayed past the attempt timeout`);
    const client = await context.stack.temporal();
    await makeCurrentVersion(client.connection, 'default', { deploymentName: DRILL_DEPLOYMENT, buildId: NEXT_BUILD }, 60_000);
    note(context, `${NEXT_BUILD} made current`);
    const drained = await pinnedRunsEnded(context, FIRST_BUILD);
    note(context, drained ? `no run pinned to ${FIRST_BUILD} is open` : `runs pinned to ${FIRST_BUILD} still open after ${DRAIN_TIMEOUT_MS / 1000} s`);
    if (!drained) {
      context.log.recoverySeconds = null;
      return;
    }
    await context.stack.replace('worker', next);
    note(context, `${FIRST_BUILD} workers stopped (SIGTERM) and started again on ${NEXT_BUILD}`);
    await context.stack.replace('api', next);
    note(context, `APIs restarted on ${NEXT_BUILD}, one after the other`);
    const ready = await context.stack.waitUntilReady(context.recoveryTimeoutMs);
    context.log.recoverySeconds = ready === null ? null : Math.round((Date.now() - started) / 100) / 10;
    note(context, ready === null ? 'APIs or workers not ready in time' : 'every API and worker ready on the new build');
  },
};

/** Polls visibility until no running run is pinned to `buildId` (docs/operations.md, step 3), bounded by DRAIN_TIMEOUT_MS. */
async function pinnedRunsEnded(context: DrillContext, buildId: string): Promise<boolean> {
  const client = await context.stack.temporal();
  const query = `TemporalWorkerDeploymentVersion = "${DRILL_DEPLOYMENT}:${buildId}" AND TemporalWorkflowVersioningBehavior = "Pinned" AND ExecutionStatus = "Running"`;
  await new Promise((resolve) => setTimeout(resolve, DRAIN_VISIBILITY_GRACE_MS));
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const { count } = await client.workflow.count(query);
    if (count === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  return false;
}

function note(context: DrillContext, text: string): void {
  context.log.events.push(`+${context.elapsed()} s ${text}`);
}
