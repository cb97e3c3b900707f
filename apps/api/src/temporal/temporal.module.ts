import { Module } from '@nestjs/common';
import { RunConclusions } from '@app/payment-worker';
import { DeploymentRouting } from './deployment-routing';
import { TemporalAccess } from './temporal-access';

/**
 * The API's clients of Temporal, one per merchant namespace, where its build stands in their
 * Worker Deployments, and what its hosted workers learn of the runs they started eagerly
 * (RunConclusions: nothing, when the API hosts none).
 */
@Module({
  providers: [TemporalAccess, DeploymentRouting, { provide: RunConclusions, useFactory: () => new RunConclusions() }],
  exports: [TemporalAccess, DeploymentRouting, RunConclusions],
})
export class TemporalModule {}
