import { Global, Module, type DynamicModule } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from './api-config';

/** The validated config, bound once for a whole app; every module reads it through API_CONFIG. */
@Global()
@Module({})
export class ApiConfigModule {
  static withConfig(config: ApiConfig): DynamicModule {
    return { module: ApiConfigModule, providers: [{ provide: API_CONFIG, useValue: config }], exports: [API_CONFIG] };
  }
}
