import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  readonly resource: Resource;
  /** Where finished spans go; the worker hands it to Temporal's workflow span sink too. */
  readonly spanProcessor: SpanProcessor;
  /** Sends the spans still buffered; call once, at shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Registers the process-wide tracer provider (W3C trace context, async-local context). With no
 * endpoint, spans are still created, so trace context still flows between processes, but none is
 * exported: there is nowhere to send them.
 */
export function startTracing(serviceName: string, otlpEndpoint: string | undefined): Tracing {
  const resource = new Resource({ [ATTR_SERVICE_NAME]: serviceName });
  const spanProcessor: SpanProcessor =
    otlpEndpoint === undefined ? new NoopSpanProcessor() : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { resource, spanProcessor, shutdown: () => provider.shutdown() };
}
