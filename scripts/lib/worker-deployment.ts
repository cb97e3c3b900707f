import type { Client, ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** A Worker Deployment version: the deployment's name and one build's ID (WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID). */
export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/** Between attempts to make a version current while its first pollers register. */
const RETRY_MS = 500;

/**
 * `temporal worker deployment set-current-version`, through the SDK's connection: new runs (and
 * auto-upgrading ones, at their next task) go to `version` in `namespace`. Temporal refuses a
 * version none of whose workers has polled yet; this retries that refusal until `timeoutMs`.
 */
export async function makeCurrentVersion(connection: ConnectionLike, namespace: string, version: DeploymentVersion, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName: version.deploymentName, buildId: version.buildId, identity: 'rollout' });
      return;
    } catch (error) {
      if (Date.now() + RETRY_MS > deadline)
        throw new Error(`${version.deploymentName}:${version.buildId} could not be made current in ${namespace} within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

/** The version a run is on and whether it is pinned there, from its description; null for an unversioned run. */
export async function runVersion(client: Client, workflowId: string): Promise<{ buildId: string; behavior: 'pinned' | 'auto_upgrade' | 'unspecified' } | null> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  const info = raw.workflowExecutionInfo?.versioningInfo;
  const buildId = info?.deploymentVersion?.buildId;
  if (buildId === undefined || buildId === null || buildId === '') return null;
  const { VersioningBehavior } = temporal.api.enums.v1;
  const behavior =
    info?.behavior === VersioningBehavior.VERSIONING_BEHAVIOR_PINNED
      ? 'pinned'
      : info?.behavior === VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE
        ? 'auto_upgrade'
        : 'unspecified';
  return { buildId, behavior };
}
