import { Module } from '@nestjs/common';
import { RunConclusions } from '@app/payment-worker';
import { TemporalAccess } from './temporal-access';

/**
 * The API's clients of Temporal, one per merchant namespace, and what its hosted workers learn of
 * the runs they started eagerly (RunConclusions: nothing, when the API hosts none).
 */
@Module({ providers: [TemporalAccess, { provide: RunConclusions, useFactory: () => new RunConclusions() }], exports: [TemporalAccess, RunConclusions] })
export class TemporalModule {}
