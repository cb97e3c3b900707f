import { createHmac } from 'node:crypto';

/**
 * The `x-orchestrator-signature` value of a callback sent at `timestampSeconds` (unix seconds):
 * `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The timestamp is signed with the body so a
 * receiver can refuse an old event replayed at it (docs/api.md, "Callbacks").
 */
export function callbackSignature(secret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}
