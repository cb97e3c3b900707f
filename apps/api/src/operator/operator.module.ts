import { Inject, Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ConfigSectionsModule } from '@app/config';
import { OPERATOR_SECTION, type ApiConfigSections, type OperatorSection } from '../api-config-sections';
import { CodecController } from './codec/codec.controller';
import { CodecCorsMiddleware } from './codec/codec-cors.middleware';
import { CODEC_PATH, codecDialect } from './codec/codec-dialect';
import { OperatorAuthGuard } from './codec/operator-auth.guard';
import { OperatorAuthenticator } from './codec/operator-authenticator';
import { OperatorLoginController } from './codec/operator-login.controller';
import { HttpModule } from '../http/http.module';
import type { ApiMetrics } from '../http/telemetry/api-metrics';
import { HOSTED_WORKER_METRICS, METRICS_PATH, MetricsController, type MetricsPage } from './metrics.controller';
import { TemporalModule } from '../temporal/temporal.module';
import { UPSTREAM_PAUSE_PATH, UpstreamPauseController } from './upstream-pause.controller';

/** What the operator port serves, and the checkout port never does. */
export const OPERATOR_ROUTE_PREFIXES: readonly string[] = [METRICS_PATH, `${CODEC_PATH}/`, `${UPSTREAM_PAUSE_PATH}/`];

/**
 * The app behind OPERATOR_PORT: the codec server (with its login page, cookies and CORS), the
 * upstream pause control and the Prometheus endpoint, for operators and scrapers, never for checkout services. A Nest app of its
 * own in the API process, so its routes, guards and middleware share nothing with the checkout
 * app's but the configuration and the metrics registry.
 */
@Module({})
export class OperatorModule implements NestModule {
  constructor(@Inject(OPERATOR_SECTION) private readonly operator: OperatorSection) {}

  static withSections(sections: ApiConfigSections, metrics: ApiMetrics, hostedWorkerMetrics: MetricsPage): DynamicModule {
    // Without operators nobody may decrypt or pause, so those routes do not exist at all.
    const codecOn = sections[OPERATOR_SECTION].credentials !== null;
    return {
      module: OperatorModule,
      imports: [ConfigSectionsModule.bind(sections), HttpModule.forApp({ metrics, dialectFor: () => codecDialect }), ...(codecOn ? [TemporalModule] : [])],
      controllers: [MetricsController, ...(codecOn ? [CodecController, OperatorLoginController, UpstreamPauseController] : [])],
      providers: [{ provide: HOSTED_WORKER_METRICS, useValue: hostedWorkerMetrics }, ...(codecOn ? [OperatorAuthenticator, OperatorAuthGuard] : [])],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.operator.credentials === null) return;
    consumer.apply(CodecCorsMiddleware).forRoutes(`${CODEC_PATH.slice(1)}/*path`);
  }
}
