import { Global, Module, type DynamicModule } from '@nestjs/common';

/**
 * An app's validated config cut into typed sections, each under a token of its own (the API's
 * api-config-sections.ts, the worker's worker-config-sections.ts): a provider injects the section
 * it reads, never the whole bag of variables.
 */
export type ConfigSections = { readonly [token: symbol]: unknown };

/** Binds each section once for a whole app, under its token. */
@Global()
@Module({})
export class ConfigSectionsModule {
  static bind(sections: ConfigSections): DynamicModule {
    const tokens = Object.getOwnPropertySymbols(sections);
    return { module: ConfigSectionsModule, providers: tokens.map((token) => ({ provide: token, useValue: sections[token] })), exports: tokens };
  }
}
