import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { DeploymentVersion } from '@app/config';
import type { Merchant } from '../api-config';
import { TEMPORAL_SECTION, type TemporalSection } from '../api-config-sections';
import { TemporalAccess } from './temporal-access';

/** Answers arriving within this long share one look at the deployment, so a burst of starts costs one call. */
const ROUTING_CACHE_MS = 1_000;

const { WorkerDeploymentVersionStatus: VersionStatus } = temporal.api.enums.v1;
/** A version that was current and no longer is: an old API mid-rollout, whose starts matching routes to the current version. */
const SUPERSEDED: ReadonlySet<number> = new Set([VersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING, VersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED]);
/** gRPC's NOT_FOUND: the deployment does not exist until a worker of it polls. */
const GRPC_NOT_FOUND = 5;

/**
 * Where this API's build stands in the merchant namespace's Worker Deployment:
 * - `unversioned`: WORKER_BUILD_ID is unset; starts and eager starts as before.
 * - `current`: its build takes new runs; starts may be eager (the hosted worker is of that build).
 * - `superseded`: its build is ramping, draining or drained (an old API mid-rollout): starts go
 *   through matching, which routes them to the current version, never eagerly to this process.
 * - `not_routed`: a build no run is routed to yet (a new API beside old workers): no start.
 */
export type BuildRouting = { kind: 'unversioned' | 'current' | 'superseded' } | { kind: 'not_routed'; reason: string };

/**
 * The API's guard for rollouts (docs/operations.md, "Rolling out a new build"). A start is taken by
 * whichever worker Temporal routes it to, but an eager start is run by this API's hosted worker,
 * whatever version is current, and a new API's request shapes may be unknown to the old workers:
 * so a build that is not yet current or ramping starts nothing, and only the current build starts
 * eagerly.
 */
@Injectable()
export class DeploymentRouting {
  private readonly version: DeploymentVersion | null;
  private readonly latest = new Map<string, { askedAt: number; answer: Promise<BuildRouting> }>();

  constructor(
    private readonly temporal: TemporalAccess,
    @Inject(TEMPORAL_SECTION) settings: TemporalSection,
  ) {
    this.version = settings.deploymentVersion;
  }

  routing(merchant: Merchant): Promise<BuildRouting> {
    if (this.version === null) return Promise.resolve({ kind: 'unversioned' });
    const now = Date.now();
    const cached = this.latest.get(merchant.name);
    if (cached !== undefined && now - cached.askedAt < ROUTING_CACHE_MS) return cached.answer;
    const answer = this.ask(merchant, this.version);
    this.latest.set(merchant.name, { askedAt: now, answer });
    return answer;
  }

  /**
   * The client that starts the merchant's runs and whether the start may ask for eager execution;
   * throws when this build may start no run (the caller answers as when Temporal cannot be asked).
   */
  async starting(merchant: Merchant): Promise<{ client: Client; requestEagerStart: boolean }> {
    const routing = await this.routing(merchant);
    if (routing.kind === 'not_routed') throw new Error(`no run started: ${routing.reason}`);
    return { client: this.temporal.startingClient(merchant), requestEagerStart: this.temporal.eagerStart && routing.kind !== 'superseded' };
  }

  private async ask(merchant: Merchant, version: DeploymentVersion): Promise<BuildRouting> {
    const named = `${version.deploymentName}:${version.buildId}`;
    const client = this.temporal.client(merchant);
    let info: temporal.api.deployment.v1.IWorkerDeploymentInfo | null | undefined;
    try {
      ({ workerDeploymentInfo: info } = await this.temporal.withRpcDeadline(client, () =>
        client.connection.workflowService.describeWorkerDeployment({ namespace: merchant.namespace, deploymentName: version.deploymentName }),
      ));
    } catch (error) {
      if ((error as { code?: number }).code === GRPC_NOT_FOUND) {
        return { kind: 'not_routed', reason: `build ${named} is not routed: no worker of deployment "${version.deploymentName}" has polled namespace "${merchant.namespace}" yet` };
      }
      // Fail closed: a start now would most likely fail too, and this one cannot be checked.
      return { kind: 'not_routed', reason: `build ${named}: the deployment in namespace "${merchant.namespace}" could not be read` };
    }
    const routingConfig = info?.routingConfig;
    if (routingConfig?.currentDeploymentVersion?.buildId === version.buildId) return { kind: 'current' };
    if (routingConfig?.rampingDeploymentVersion?.buildId === version.buildId) return { kind: 'superseded' };
    const summary = info?.versionSummaries?.find((candidate) => candidate.deploymentVersion?.buildId === version.buildId);
    if (summary?.status != null && SUPERSEDED.has(summary.status)) return { kind: 'superseded' };
    const current = routingConfig?.currentDeploymentVersion?.buildId;
    return {
      kind: 'not_routed',
      reason: `build ${named} is not routed in namespace "${merchant.namespace}" (current: ${current === undefined || current === null ? 'none' : current}): make it current or ramping first (temporal worker deployment set-current-version)`,
    };
  }
}
