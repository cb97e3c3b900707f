import { Module } from '@nestjs/common';
import { TemporalAccess } from './temporal-access';

/** The API's clients of Temporal, one per merchant namespace. */
@Module({ providers: [TemporalAccess], exports: [TemporalAccess] })
export class TemporalModule {}
