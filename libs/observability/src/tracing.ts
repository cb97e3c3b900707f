import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** Nest token of the process's Tracing, the same in every app (each binds the one it started). */
export const TRACING = Symbol('TRACING');

export interface Tracing {
  /** Whether spans are made at all: only when there is an exporter to send them to. */
  readonly enabled: boolean;
  readonly resource: Resource;
  /** Where finished spans go; the worker hands it to Temporal's workflow span sink too. */
  readonly spanProcessor: SpanProcessor;
  /** Sends the spans still buffered; call once, at shutdown. */
  shutdown(): Promise<void>;
}

/**
 * With an OTLP endpoint, registers the process-wide tracer provider (W3C trace context,
 * async-local context) and exports spans to it. Without one, registers nothing: OpenTelemetry's
 * API stays a no-op, no span is made and no trace context is passed on, because spans nobody can
 * see cost CPU on every payment (BENCHMARKS.md measured it).
 */
export function startTracing(serviceName: string, otlpEndpoint: string | undefined): Tracing {
  const resource = new Resource({ [ATTR_SERVICE_NAME]: serviceName });
  if (otlpEndpoint === undefined) return { enabled: false, resource, spanProcessor: new NoopSpanProcessor(), shutdown: () => Promise.resolve() };
  const spanProcessor: SpanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { enabled: true, resource, spanProcessor, shutdown: () => provider.shutdown() };
}
