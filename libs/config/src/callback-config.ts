import { z } from 'zod';
import { ConfigError } from './load-config';
import { isLoopbackHost } from './variables';

/** As long as `openssl rand -hex 16` or a base64 encoding of 24 random bytes: too long to guess. */
export const CALLBACK_SECRET_MIN_LENGTH = 32;

/** Where a client's callbacks go, and the secret that signs them (docs/api.md, "Callbacks"). */
export interface ClientCallback {
  url: URL;
  secret: string;
}

/** Client name → its callback: a client not in it has none. */
export type ClientCallbacks = ReadonlyMap<string, ClientCallback>;

/** Client names as API_TOKENS spells them. */
const CLIENT_NAME = /^[\w.-]+$/;

/**
 * `client=value` pairs, comma-separated and split at the first `=` (base64 secrets end in `=`), or
 * a JSON object `{"client":"value"}` for a value that holds a comma (a URL query such as
 * `?events=final,unsettled`), as docs/operations.md says. A problem names the client at most,
 * never the item: a secret may be in it.
 */
function clientPairs(valueName: string) {
  return z.string().transform((text, context) => {
    const entries = text.trimStart().startsWith('{') ? jsonEntries(text) : commaEntries(text);
    if (typeof entries === 'string') {
      context.addIssue({ code: 'custom', message: entries });
      return z.NEVER;
    }
    if (entries.length === 0) {
      context.addIssue({ code: 'custom', message: 'must hold at least one item' });
      return z.NEVER;
    }
    const byClient = new Map<string, string>();
    for (const [index, [client, value]] of entries.entries()) {
      if (client === '' || value === '' || !CLIENT_NAME.test(client)) {
        // A comma inside the previous value splits it: say so, since the pair itself looks fine.
        const comma =
          index > 0 && !text.trimStart().startsWith('{')
            ? `; item ${index + 1} has no "client=", so a comma may have split a ${valueName}: write the list as a JSON object, {"client":"${valueName}"}`
            : '';
        context.addIssue({ code: 'custom', message: `each item must be client=${valueName}, client of letters, digits, _ . -${comma}` });
        return z.NEVER;
      }
      if (byClient.has(client)) {
        context.addIssue({ code: 'custom', message: `client "${client}" is named twice` });
        return z.NEVER;
      }
      byClient.set(client, value);
    }
    return byClient;
  });
}

/** `a=1, b=2` as [client, value] entries, blanks dropped; an item without `=` has an empty client. */
function commaEntries(text: string): Array<[string, string]> {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const separator = item.indexOf('=');
      return separator < 0 ? ['', item] : [item.slice(0, separator), item.slice(separator + 1)];
    });
}

/** `{"a":"1","b":"2"}` as [client, value] entries, or the problem (never echoing the text). */
function jsonEntries(text: string): Array<[string, string]> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'a value starting with { must be a JSON object of client names to strings, and this one is not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((value) => typeof value !== 'string')) {
    return 'a value starting with { must be a JSON object of client names to strings';
  }
  return Object.entries(parsed as Record<string, string>);
}

const callbackUrls = clientPairs('url').transform((pairs, context) => {
  const urls = new Map<string, URL>();
  for (const [client, value] of pairs) {
    const url = URL.canParse(value) ? new URL(value) : null;
    // The URL is not echoed: its query may carry the receiver's own token.
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      context.addIssue({ code: 'custom', message: `the callback URL of "${client}" is not an http(s) URL` });
      return z.NEVER;
    }
    if (url.username !== '' || url.password !== '') {
      context.addIssue({ code: 'custom', message: `the callback URL of "${client}" carries credentials (user:password@); the signature authenticates callbacks` });
      return z.NEVER;
    }
    urls.set(client, url);
  }
  return urls;
});

const callbackSecrets = clientPairs('secret').transform((pairs, context) => {
  for (const [client, secret] of pairs) {
    if (secret.length < CALLBACK_SECRET_MIN_LENGTH) {
      context.addIssue({
        code: 'custom',
        message: `the callback secret of "${client}" has ${secret.length} characters; at least ${CALLBACK_SECRET_MIN_LENGTH} are required (e.g. openssl rand -hex 32)`,
      });
      return z.NEVER;
    }
  }
  return pairs;
});

/** A merchant's share of the callback settings: the first merchant's unprefixed, each listed one's prefixed. */
export const callbackVariables = {
  /** `client=url` pairs: where each client's runs POST their signed events when they settle. */
  CLIENT_CALLBACK_URLS: callbackUrls.optional(),
  /** `client=secret` pairs: the key that signs each client's events; every client with a URL has one. */
  CLIENT_CALLBACK_SECRETS: callbackSecrets.optional(),
};

export interface CallbackSettings {
  CLIENT_CALLBACK_URLS?: ReadonlyMap<string, URL> | undefined;
  CLIENT_CALLBACK_SECRETS?: ReadonlyMap<string, string> | undefined;
}

/**
 * One merchant's callbacks from its two variables; `prefix` names them in problems. A URL and a
 * secret come together. With NODE_ENV=production (`production`), events leave over HTTPS unless
 * they stay on this host: plain HTTP would hand the order's data to anyone on the path.
 */
export function clientCallbacks(settings: CallbackSettings, prefix: string, production: boolean): ClientCallbacks {
  const urls = settings.CLIENT_CALLBACK_URLS ?? new Map<string, URL>();
  const secrets = settings.CLIENT_CALLBACK_SECRETS ?? new Map<string, string>();
  const problems: string[] = [];
  const callbacks = new Map<string, ClientCallback>();
  for (const [client, url] of urls) {
    const secret = secrets.get(client);
    if (secret === undefined) problems.push(`${prefix}CLIENT_CALLBACK_SECRETS is invalid: client "${client}" has a callback URL but no secret to sign its events`);
    else if (production && url.protocol === 'http:' && !isLoopback(url)) {
      problems.push(`${prefix}CLIENT_CALLBACK_URLS is invalid: the callback URL of "${client}" is plain http to another host, which NODE_ENV=production refuses; use https`);
    } else callbacks.set(client, { url, secret });
  }
  for (const client of secrets.keys()) {
    if (!urls.has(client)) problems.push(`${prefix}CLIENT_CALLBACK_URLS is invalid: client "${client}" has a callback secret but no URL`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return callbacks;
}

/** Refuses a secret two clients share (naming them, never the secret): either could forge the other's events. */
export function requireOwnCallbackSecrets(callbacksByMerchant: readonly ClientCallbacks[]): void {
  const holders = new Map<string, string>();
  for (const callbacks of callbacksByMerchant) {
    for (const [client, { secret }] of callbacks) {
      const other = holders.get(secret);
      if (other !== undefined) throw new ConfigError([`clients "${other}" and "${client}" share a callback secret; give each client a secret of its own`]);
      holders.set(secret, client);
    }
  }
}

/** localhost, 127.0.0.0/8 or ::1: a receiver on this host, where plain HTTP crosses no network. */
export function isLoopback(url: URL): boolean {
  return isLoopbackHost(url.hostname);
}
