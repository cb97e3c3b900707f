import { z } from 'zod';
import {
  ConfigError,
  env,
  gatherProblems,
  holdsOnlyPublishedSecrets,
  hostVariable,
  isLoopbackHost,
  loadConfig,
  loadListedMerchants,
  loadMerchantAccounts,
  merchantPrefix,
  paymentWorkerProductionRequirements,
  paymentWorkerVariables,
  requireDistinct,
  temporalConnectionOptions,
  type MerchantAccount,
} from '@app/config';
import { attemptActivityKinds } from '@app/contracts';
import { observabilityVariables } from '@app/observability';

/**
 * Operator tokens unlock every payload: long enough that guessing them online, even at the
 * login's rate limit, is hopeless (`openssl rand -base64 24` gives 32 characters).
 */
export const OPERATOR_TOKEN_MIN_LENGTH = 32;
/** The session key's server-side secret, as long as a base64 encoding of 24 random bytes. */
export const CODEC_SESSION_SECRET_MIN_LENGTH = 32;
/**
 * With NODE_ENV=production, the shortest client token, METRICS_TOKEN and MERCADOPAGO_WEBHOOK_SECRET
 * (`openssl rand -base64 24` gives 32 characters). Only there: `.env.example`'s local tokens and
 * the tests' fixtures are shorter, and are never a deployment's (docs/operations.md).
 */
export const PRODUCTION_SECRET_MIN_LENGTH = 32;

/**
 * The longest keep-alive timeout Node arms as given: it adds 1 s, and a timer over 2^31 - 1 ms is
 * set to 1 ms instead (Node docs, setTimeout), which would close every idle connection at once.
 */
const HTTP_KEEP_ALIVE_TIMEOUT_MAX_MS = 2 ** 31 - 1 - 1_000;

/** What a deployment must set beyond a payment worker's needs, and why (docs/operations.md). */
const apiProductionRequirements = {
  ...paymentWorkerProductionRequirements,
  METRICS_TOKEN: 'GET /metrics on the operator port must not be open to whoever reaches that port; at least 32 characters (openssl rand -base64 24)',
} as const;

/**
 * `name:token` pairs, as API_TOKENS and OPERATOR_TOKENS list them. Names identify the holder in
 * fingerprints, logs and search attributes; tokens are secrets.
 */
const namedTokens = (minTokenLength = 1) =>
  env.list().transform((pairs, context) => {
    const tokensByName = new Map<string, string>();
    for (const pair of pairs) {
      const separator = pair.indexOf(':');
      const name = pair.slice(0, separator);
      const token = pair.slice(separator + 1);
      if (separator < 1 || token === '' || !/^[\w.-]+$/.test(name)) {
        // Never echo the pair: it holds a secret.
        context.addIssue({ code: 'custom', message: 'each item must be name:token, name of letters, digits, _ . -' });
        return z.NEVER;
      }
      if (token.length < minTokenLength) {
        // The holder's name is not secret, and says which token to replace.
        context.addIssue({ code: 'custom', message: `the token of "${name}" has ${token.length} characters; at least ${minTokenLength} are required (e.g. openssl rand -base64 24)` });
        return z.NEVER;
      }
      tokensByName.set(name, token);
    }
    return tokensByName;
  });

/** Web UI origins the codec answers cross-origin requests from, exactly as browsers send them. */
const origins = env.list().transform((items, context) => {
  for (const item of items) {
    if (!URL.canParse(item) || new URL(item).origin !== item) {
      context.addIssue({ code: 'custom', message: `"${item}" is not an origin: scheme://host[:port], no path or trailing slash` });
      return z.NEVER;
    }
  }
  return new Set(items);
});

/** What to do with a request on an order no client of the merchant created through this API. */
export const ordersCreatedElsewhereChoices = ['allow', 'deny'] as const;

/**
 * A merchant's share of the API's variables, beside its namespace and token: the first merchant's
 * unprefixed, each listed merchant's prefixed (MERCHANT_ACME_API_TOKENS).
 */
const merchantClientVariables = {
  /** The merchant's checkout clients: they send payments, and can never read payloads through the codec. */
  API_TOKENS: namedTokens(),
  /** Clients of the merchant that may act on any of its orders (a back office), by name. */
  TRUSTED_CLIENTS: env.list().optional(),
  /** An order not created through this API (no client owns it): `allow` lets any of the merchant's clients act on it. */
  ORDERS_CREATED_ELSEWHERE: z.enum(ordersCreatedElsewhereChoices).default('allow'),
  /**
   * The secret Mercado Pago shows for the merchant's application under Webhooks: it signs the
   * notifications POST /webhooks/mercadopago receives, and identifies whose they are. Unset, the
   * merchant receives none (docs/api.md, "Notifications from Mercado Pago").
   */
  MERCADOPAGO_WEBHOOK_SECRET: env.requiredText().optional(),
  /**
   * Each of the merchant's clients' quotas in this API instance (docs/operations.md, "Quotas"):
   * requests per second, reads included, plus a burst of this many more per 10 s; and runs this
   * instance started for the client and has not yet seen end. Defaults far above what the bench,
   * the drills and the hostile tests send, so only a runaway client meets them.
   */
  CLIENT_REQUESTS_PER_SECOND: env.count(500),
  CLIENT_REQUEST_BURST: env.count(2_000),
  CLIENT_RUNS_IN_FLIGHT: env.count(1_000),
};

export const apiConfigShape = {
  ...hostVariable,
  /** Temporal, the upstream (reads go straight to it) and the worker the API hosts for eager starts. */
  ...paymentWorkerVariables,
  ...observabilityVariables,
  PORT: env.port(3000),
  /**
   * Host a worker for the task queue in the API process, so that starts are eager: a payment's
   * first workflow task (and first attempt) runs here, without a round trip through matching.
   * Standalone workers are still needed for everything else (docs/architecture.md).
   */
  API_HOSTS_WORKER: env.flag(true),
  /** The operator listener: the codec server and /metrics, kept off the port checkout services call. */
  OPERATOR_PORT: env.port(3002),
  ...merchantClientVariables,
  WAIT_FOR_RESULT_MS: env.milliseconds(10_000),
  UPSTREAM_TIMEOUT_MS: env.milliseconds(10_000),
  UPSTREAM_RETRY_INITIAL_MS: env.milliseconds(500),
  UPSTREAM_RETRY_MAX_INTERVAL_MS: env.milliseconds(30_000),
  UPSTREAM_RETRY_BUDGET_MS: env.milliseconds(600_000),
  /** Bound on each call to Temporal; past it the key's state counts as unreadable (fail closed). */
  TEMPORAL_RPC_TIMEOUT_MS: env.milliseconds(5_000),
  /** When set, GET /metrics on the operator port wants `Authorization: Bearer <token>`. */
  METRICS_TOKEN: env.requiredText().optional(),
  /** Operators who may decrypt payloads through the codec server; unset turns the codec server off. */
  OPERATOR_TOKENS: namedTokens(OPERATOR_TOKEN_MIN_LENGTH).optional(),
  /**
   * Mixed into every session cookie's key, so a stolen cookie cannot be used to test guesses of the
   * operator's token offline; required with OPERATOR_TOKENS.
   */
  CODEC_SESSION_SECRET: z.string().min(CODEC_SESSION_SECRET_MIN_LENGTH, `must have at least ${CODEC_SESSION_SECRET_MIN_LENGTH} characters (e.g. openssl rand -base64 32)`).optional(),
  /** Web UI origins allowed to call the codec server from a browser; unset grants none. */
  CODEC_ALLOWED_ORIGINS: origins.optional(),
  /** How long a browser session of the codec's login page lasts. */
  CODEC_SESSION_TTL_MS: env.milliseconds(8 * 60 * 60 * 1000),
  /** Marks the session cookie Secure: set it wherever the API is reached over HTTPS. */
  CODEC_COOKIE_SECURE: env.flag(false),
  /**
   * The local stack's shortcut: the codec decodes for browsers without a sign-in, so the Web UI
   * reads runs at first sight. Only on loopback, with .env.example's published keys, outside
   * production (localShortcutProblems; docs/operations.md, "Codec server"; SECURITY.md).
   */
  CODEC_LOCAL_NO_SIGN_IN: env.flag(false),
  /** Slow clients: how long the request headers, and the whole request with its body, may take to arrive. */
  HTTP_HEADERS_TIMEOUT_MS: env.milliseconds(10_000),
  HTTP_REQUEST_TIMEOUT_MS: env.milliseconds(30_000),
  /**
   * How long a kept-alive connection may lie idle after its last answer before the API closes it
   * (Node's server.keepAliveTimeout, which Node lengthens by 1 s; its default, 5 s, is far shorter).
   * Whoever closes an idle connection races the other side's next request on it, which is then
   * lost unread (a proxy answers 502, a client sees "other side closed"): so the proxy in front
   * must close first. AWS's Application Load Balancer keeps idle connections 60 s by default and
   * asks targets for a longer idle timeout ("Edit attributes for your Application Load Balancer",
   * Connection idle timeout); nginx's upstream keepalive_timeout is 60 s by default too.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .max(HTTP_KEEP_ALIVE_TIMEOUT_MAX_MS, `must be at most ${HTTP_KEEP_ALIVE_TIMEOUT_MAX_MS} ms (Node's longest timer, less the 1 s it adds)`)
    .default(65_000),
  /**
   * The answer memory (docs/architecture.md): completed runs' answers kept in this process, so
   * replays and reused keys are answered without calling Temporal. Its bound, in bytes (0 turns it
   * off), and how long an answer stays (never past the namespace's retention, read from Temporal).
   */
  ANSWER_MEMORY_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  ANSWER_MEMORY_TTL_MS: env.milliseconds(60 * 60 * 1000),
  /**
   * How long an order's ownership record stays open, and so how long only the client that created
   * the order (and trusted ones) may act on it; afterwards ORDERS_CREATED_ELSEWHERE applies to it.
   * A year by default; set it to the longest time after which your clients act on an order.
   */
  ORDER_OWNERSHIP_TTL_MS: env.milliseconds(365 * 24 * 60 * 60 * 1000),
  /**
   * Following answers that leave the order waiting on its final state (`processing`, a 3-D Secure
   * challenge): a follow-up reads the order at once when Mercado Pago notifies a change, and
   * otherwise after FOLLOW_UP_POLL_INITIAL_MS, backing off to FOLLOW_UP_POLL_MAX_INTERVAL_MS,
   * until the order is final or FOLLOW_UP_HORIZON_MS has passed (docs/architecture.md).
   */
  FOLLOW_UP_ENABLED: env.flag(true),
  FOLLOW_UP_POLL_INITIAL_MS: env.milliseconds(10_000),
  FOLLOW_UP_POLL_MAX_INTERVAL_MS: env.milliseconds(10 * 60 * 1000),
  FOLLOW_UP_HORIZON_MS: env.milliseconds(3 * 24 * 60 * 60 * 1000),
  /**
   * A notification never makes a follow-up read sooner than this after its previous read, so
   * notifications (genuine, or one signed notification replayed) cost the merchant's Mercado Pago
   * rate limit at most one read per interval and resource (SECURITY.md). Ten seconds by default;
   * a poll due sooner still reads then, so it never delays a follow-up polling faster.
   */
  FOLLOW_UP_MIN_NOTIFIED_READ_INTERVAL_MS: env.milliseconds(10_000),
  /** How the runs this API starts make their upstream attempts (see PaymentWriteInput). */
  UPSTREAM_ATTEMPT_ACTIVITY: z.enum(attemptActivityKinds).default('first_local'),
  /**
   * How far a notification's signed timestamp may be from now, either way: Mercado Pago's
   * Notifications page asks receivers to set such a tolerance, so a captured notification cannot
   * be replayed later. Five minutes by default.
   */
  WEBHOOK_SIGNATURE_TOLERANCE_MS: env.milliseconds(5 * 60 * 1000),
};

/** A merchant as the API serves it: its namespace and token, its clients and who owns its orders. */
export interface Merchant extends MerchantAccount {
  /** The prefix of the merchant's variables (`MERCHANT_ACME_`; empty for the first), to name them in problems. */
  prefix: string;
  /** Client name → bearer token. Client names are unique across merchants. */
  clients: ReadonlyMap<string, string>;
  trustedClients: ReadonlySet<string>;
  ordersCreatedElsewhere: (typeof ordersCreatedElsewhereChoices)[number];
  /** The secret of the merchant's Mercado Pago notifications; null when it receives none. */
  webhookSecret: string | null;
  /** What each of its clients may use of this instance (ClientQuotas). */
  clientQuotas: ClientQuotaSettings;
}

/** A client's quotas, the same for each client of a merchant. */
export interface ClientQuotaSettings {
  requestsPerSecond: number;
  requestBurst: number;
  runsInFlight: number;
}

export type ApiConfig = ReturnType<typeof loadApiConfig>;

export function loadApiConfig(environment: NodeJS.ProcessEnv = process.env) {
  // Listed with every other problem, those loadConfig finds (a production's published keys) included.
  const problems = localShortcutProblems(environment);
  const config = gatherProblems(problems, () => loadConfig(apiConfigShape, environment, apiProductionRequirements));
  if (config === undefined) throw new ConfigError(problems);
  // The same names in the same order: the accounts (namespace, token), then each one's clients.
  const accounts = loadMerchantAccounts(config, environment);
  const listedClients = loadListedMerchants(merchantClientVariables, config.MERCHANT_NAME, config.MERCHANTS ?? [], environment);
  const merchants = accounts.map((account, index) =>
    index === 0 ? merchantOf(account, config, '') : merchantOf(account, listedClients[index - 1]!.settings, merchantPrefix(account.name)),
  );
  problems.push(...merchants.flatMap((merchant) => clientKeyedProblems(merchant, merchants)));
  // A client name identifies its holder in fingerprints, logs and search attributes across merchants.
  gatherProblems(problems, () =>
    requireDistinct(
      'the client name',
      merchants.map(({ name, clients }) => ({ merchant: name, values: [...clients.keys()] })),
    ),
  );
  gatherProblems(problems, () => requireOwnWebhookSecrets(merchants));
  const holders = new Map<string, string>();
  for (const { clients } of merchants) {
    for (const [client, token] of clients) {
      const other = holders.get(token);
      // Never echo the token: naming both holders says which to replace.
      if (other !== undefined) problems.push(`clients "${other}" and "${client}" hold the same token; give each client a token of its own`);
      holders.set(token, client);
    }
  }
  // A token in both lists would let a checkout client read payer data through the codec.
  if ([...(config.OPERATOR_TOKENS?.values() ?? [])].some((token) => holders.has(token))) {
    problems.push("OPERATOR_TOKENS is invalid: an operator token is also a checkout client's token; give operators tokens of their own");
  }
  // One would let a checkout client read the metrics, the other a scraper's config decrypt payloads.
  if (config.METRICS_TOKEN !== undefined && holders.has(config.METRICS_TOKEN)) {
    problems.push("METRICS_TOKEN is invalid: it is also a checkout client's token; give the metrics scraper a token of its own");
  }
  if (config.METRICS_TOKEN !== undefined && [...(config.OPERATOR_TOKENS?.values() ?? [])].includes(config.METRICS_TOKEN)) {
    problems.push("METRICS_TOKEN is invalid: it is also an operator's token; give the metrics scraper a token of its own");
  }
  if (environment.NODE_ENV === 'production') problems.push(...shortSecretProblems(config, merchants));
  if (config.FOLLOW_UP_POLL_INITIAL_MS > config.FOLLOW_UP_POLL_MAX_INTERVAL_MS || config.FOLLOW_UP_POLL_MAX_INTERVAL_MS > config.FOLLOW_UP_HORIZON_MS) {
    problems.push('FOLLOW_UP_POLL_INITIAL_MS ≤ FOLLOW_UP_POLL_MAX_INTERVAL_MS ≤ FOLLOW_UP_HORIZON_MS is required: a follow-up backs off from the first to the second within the third');
  }
  if (config.OPERATOR_TOKENS !== undefined && config.CODEC_SESSION_SECRET === undefined) {
    problems.push("CODEC_SESSION_SECRET is required with OPERATOR_TOKENS: a secret of its own for the codec's session cookies (e.g. openssl rand -base64 32)");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, merchants, temporalConnection: temporalConnectionOptions(config) };
}

/** A merchant from its account and its client variables; `prefix` names them in problems. */
function merchantOf(
  account: MerchantAccount,
  variables: {
    API_TOKENS: ReadonlyMap<string, string>;
    TRUSTED_CLIENTS?: string[] | undefined;
    ORDERS_CREATED_ELSEWHERE: Merchant['ordersCreatedElsewhere'];
    MERCADOPAGO_WEBHOOK_SECRET?: string | undefined;
    CLIENT_REQUESTS_PER_SECOND: number;
    CLIENT_REQUEST_BURST: number;
    CLIENT_RUNS_IN_FLIGHT: number;
  },
  prefix: string,
): Merchant {
  return {
    ...account,
    prefix,
    clients: variables.API_TOKENS,
    trustedClients: new Set(variables.TRUSTED_CLIENTS ?? []),
    ordersCreatedElsewhere: variables.ORDERS_CREATED_ELSEWHERE,
    webhookSecret: variables.MERCADOPAGO_WEBHOOK_SECRET ?? null,
    clientQuotas: { requestsPerSecond: variables.CLIENT_REQUESTS_PER_SECOND, requestBurst: variables.CLIENT_REQUEST_BURST, runsInFlight: variables.CLIENT_RUNS_IN_FLIGHT },
  };
}

/**
 * Every setting keyed by client names one of the merchant's own clients: a typo (`chekout=…`) or
 * another merchant's client would otherwise start silently and leave the intended client without
 * what it was given. The keyed settings: TRUSTED_CLIENTS, CLIENT_CALLBACK_URLS and
 * CLIENT_CALLBACK_SECRETS (which hold the same clients, loadMerchantAccounts checks).
 */
function clientKeyedProblems(merchant: Merchant, merchants: readonly Merchant[]): string[] {
  const { prefix, clients } = merchant;
  const keyed: Array<[string, Iterable<string>]> = [
    ['TRUSTED_CLIENTS', merchant.trustedClients],
    ['CLIENT_CALLBACK_URLS', merchant.callbacks.keys()],
    ['CLIENT_CALLBACK_SECRETS', merchant.callbacks.keys()],
  ];
  return keyed.flatMap(([variable, named]) => {
    const strangers = [...named].filter((client) => !clients.has(client));
    if (strangers.length === 0) return [];
    const described = strangers.map((client) => {
      const owner = merchants.find((other) => other.clients.has(client));
      return owner === undefined ? `"${client}"` : `"${client}" (a client of merchant "${owner.name}")`;
    });
    return [`${prefix}${variable} is invalid: ${described.join(', ')} not in ${prefix}API_TOKENS`];
  });
}

/**
 * CODEC_LOCAL_NO_SIGN_IN=true lets whoever reaches the operator port decrypt payloads, which is
 * harmless only where nobody else can reach it and the keys are public anyway: the local stack
 * (SECURITY.md, "The codec server"). Anywhere else it is refused, from the raw environment so the
 * refusal is listed even when other variables are invalid.
 */
function localShortcutProblems(environment: NodeJS.ProcessEnv): string[] {
  if (environment.CODEC_LOCAL_NO_SIGN_IN !== 'true') return [];
  const refused = "CODEC_LOCAL_NO_SIGN_IN=true (the local stack's codec without sign-in) is refused";
  const host = environment.HOST || '127.0.0.1';
  const keys = environment.PAYLOAD_ENCRYPTION_KEYS ?? '';
  return [
    ...(environment.NODE_ENV === 'production' ? [`${refused} with NODE_ENV=production: operators sign in at /codec/login; unset it`] : []),
    ...(isLoopbackHost(host) ? [] : [`${refused} with HOST=${host}: only a loopback HOST (127.0.0.1, ::1, localhost) keeps other machines from decrypting without signing in`]),
    ...(holdsOnlyPublishedSecrets('PAYLOAD_ENCRYPTION_KEYS', keys)
      ? []
      : [`${refused} unless PAYLOAD_ENCRYPTION_KEYS holds only .env.example's published keys: payloads under keys of your own are read after signing in`]),
    ...(environment.OPERATOR_TOKENS ? [] : [`${refused} without OPERATOR_TOKENS, which turns the codec server on`]),
  ];
}

/**
 * With NODE_ENV=production, tokens and secrets long enough that guessing them online is hopeless;
 * each problem names the holder, never the value.
 */
function shortSecretProblems(config: { METRICS_TOKEN?: string | undefined }, merchants: readonly Merchant[]): string[] {
  const short = (value: string) => value.length < PRODUCTION_SECRET_MIN_LENGTH;
  const rule = `at least ${PRODUCTION_SECRET_MIN_LENGTH} characters with NODE_ENV=production (e.g. openssl rand -base64 24)`;
  return [
    ...merchants.flatMap(({ prefix, clients, webhookSecret }) => [
      ...[...clients].filter(([, token]) => short(token)).map(([client, token]) => `${prefix}API_TOKENS is invalid: the token of "${client}" has ${token.length} characters; ${rule}`),
      ...(webhookSecret !== null && short(webhookSecret) ? [`${prefix}MERCADOPAGO_WEBHOOK_SECRET is invalid: it has ${webhookSecret.length} characters; ${rule}`] : []),
    ]),
    ...(config.METRICS_TOKEN !== undefined && short(config.METRICS_TOKEN) ? [`METRICS_TOKEN is invalid: it has ${config.METRICS_TOKEN.length} characters; ${rule}`] : []),
  ];
}

/**
 * A notification belongs to the merchant whose secret verifies it, so a secret shared by two
 * merchants would leave its notifications without an owner. Each Mercado Pago application has a
 * secret of its own; a shared one is a copy-and-paste mistake.
 */
function requireOwnWebhookSecrets(merchants: readonly Merchant[]): void {
  const owners = new Map<string, string>();
  for (const { name, webhookSecret } of merchants) {
    if (webhookSecret === null) continue;
    const other = owners.get(webhookSecret);
    // Never echo the secret: naming both merchants says which to replace.
    if (other !== undefined)
      throw new ConfigError([`merchants "${other}" and "${name}" have the same MERCADOPAGO_WEBHOOK_SECRET; each Mercado Pago application has a secret of its own`]);
    owners.set(webhookSecret, name);
  }
}

/** What the codec server authenticates with; null when it is off (no OPERATOR_TOKENS). */
export function operatorCredentials(config: ApiConfig): { operators: ReadonlyMap<string, string>; sessionSecret: string } | null {
  // loadApiConfig refuses operators without a secret, so both or neither are set.
  if (config.OPERATOR_TOKENS === undefined || config.CODEC_SESSION_SECRET === undefined) return null;
  return { operators: config.OPERATOR_TOKENS, sessionSecret: config.CODEC_SESSION_SECRET };
}
