import { Module } from '@nestjs/common';
import { DeploymentRouting } from './deployment-routing';
import { TemporalAccess } from './temporal-access';

/** The API's clients of Temporal, one per merchant namespace, and where its build stands in their Worker Deployments. */
@Module({ providers: [TemporalAccess, DeploymentRouting], exports: [TemporalAccess, DeploymentRouting] })
export class TemporalModule {}
