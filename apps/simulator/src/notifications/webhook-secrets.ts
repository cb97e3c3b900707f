export type WebhookSecretsReading = { kind: 'valid'; secrets: Record<string, string> } | { kind: 'invalid'; problems: string[] };

/**
 * Reads `SIMULATOR_WEBHOOK_SECRETS`: comma-separated `<access token>=<secret>` pairs, split at the
 * first `=` (a secret may hold more). In Mercado Pago each application has its own webhook secret;
 * here each access token stands for one merchant's application.
 */
export function readWebhookSecrets(text: string): WebhookSecretsReading {
  const secrets: Record<string, string> = {};
  const problems: string[] = [];
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '');
  pairs.forEach((pair, index) => {
    const separator = pair.indexOf('=');
    const token = separator < 0 ? '' : pair.slice(0, separator).trim();
    const secret = separator < 0 ? '' : pair.slice(separator + 1).trim();
    // The pair's position, never its text: it holds a secret.
    if (token === '' || secret === '') problems.push(`pair ${index + 1} is not <access token>=<secret>`);
    else if (Object.hasOwn(secrets, token)) problems.push(`pair ${index + 1} repeats an access token`);
    else secrets[token] = secret;
  });
  if (pairs.length === 0) problems.push('must hold at least one <access token>=<secret> pair');
  return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'valid', secrets };
}
