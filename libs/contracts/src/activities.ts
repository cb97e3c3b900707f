import type { UpstreamAttempt, UpstreamRequest } from './upstream';

/**
 * The activities the payment workflow may call. Workflow code proxies this interface with
 * `import type`; the worker implements it as a Nest service.
 */
export interface PaymentActivities {
  /** Sends one attempt of an upstream write and classifies its answer. Never retries by itself. */
  sendUpstreamRequest(request: UpstreamRequest): Promise<UpstreamAttempt>;
}
