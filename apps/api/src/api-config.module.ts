import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ApiConfig } from './api-config';
import { apiConfigSections } from './api-config-sections';

/**
 * The validated config, cut into sections (api-config-sections.ts), each bound once for a whole
 * app under its own token: a provider injects the section it reads, never the whole config.
 */
@Global()
@Module({})
export class ApiConfigModule {
  static withConfig(config: ApiConfig): DynamicModule {
    const sections = apiConfigSections(config);
    const tokens = Object.getOwnPropertySymbols(sections) as Array<keyof typeof sections>;
    return { module: ApiConfigModule, providers: tokens.map((token) => ({ provide: token, useValue: sections[token] })), exports: tokens };
  }
}
