/**
 * A second merchant, with its own Mercado Pago account (token) and its own namespace, served by
 * the same API and worker: every test runs beside it, and the security tests check the wall.
 */
export const SECOND_MERCHANT = {
  name: 'second',
  namespace: 'e2e-second-merchant',
  upstreamToken: 'APP_USR-e2e-second-merchant-token',
  clientTokens: { shop: 'e2e-second-shop-token' },
  webhookSecret: 'e2e-second-merchant-webhook-secret',
} as const;
