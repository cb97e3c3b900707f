import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { freePort } from '@app/config';
import type { JsonLogger } from '@app/observability';
import { TemporalJsonLogger } from './temporal-json-logger';

/**
 * Installs the Temporal runtime before anything connects: its logs (SDK, Core, activity and
 * workflow loggers) go through the JSON logger, and with `withCoreMetrics` Core serves its metrics
 * in Prometheus format on a loopback port of its own. Returns that port's metrics URL, which the
 * worker's /metrics reads and appends, so operators scrape one endpoint.
 */
export async function installTemporalRuntime(logger: JsonLogger, withCoreMetrics: boolean, shutdownSignals?: NodeJS.Signals[]): Promise<string | null> {
  const coreMetricsPort = withCoreMetrics ? await freePort() : null;
  Runtime.install({
    logger: new TemporalJsonLogger(logger),
    ...(shutdownSignals === undefined ? {} : { shutdownSignals }),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'WARN' }) },
      ...(coreMetricsPort === null
        ? {}
        : { metrics: { prometheus: { bindAddress: `127.0.0.1:${coreMetricsPort}`, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } }),
    },
  });
  return coreMetricsPort === null ? null : `http://127.0.0.1:${coreMetricsPort}/metrics`;
}
