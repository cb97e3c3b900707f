import { createHash } from 'node:crypto';
import { CODEC_PATH } from './codec-dialect';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1c1c1c}
label,input,button{display:block;font:inherit}input{width:100%;box-sizing:border-box;padding:.4rem;margin:.3rem 0 1rem}
button{padding:.4rem 1rem}.error{color:#a40000}code{background:#eee;padding:0 .2rem}`;

/**
 * No script, no external asset, no framing: the page's only style is allowed by its hash, and its
 * forms may post only back to this origin.
 */
export const LOGIN_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': [
    "default-src 'none'",
    `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '),
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

export type LoginPageState = { signedInAs: string; codecEndpoint: string } | { signedInAs: null; error: string | null };

export function loginPage(state: LoginPageState): string {
  const content =
    state.signedInAs === null
      ? `<p>Sign in with your operator token (from <code>OPERATOR_TOKENS</code>) to let the Temporal Web UI
decrypt payloads in this browser.</p>
${state.error === null ? '' : `<p class="error" role="alert">${escapeHtml(state.error)}</p>`}
<form method="post" action="${CODEC_PATH}/login">
<label for="token">Operator token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">Sign in</button>
</form>`
      : `<p id="signed-in">Signed in as <strong>${escapeHtml(state.signedInAs)}</strong>.</p>
<p>In the Temporal Web UI, the codec server is <code>${escapeHtml(state.codecEndpoint)}</code>; its
<em>Include cross-origin credentials</em> option must be on so the UI sends this session.
Open the UI on the same host name as this page (127.0.0.1 and localhost are different sites).</p>
<form method="post" action="${CODEC_PATH}/logout"><button type="submit">Sign out</button></form>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Payload codec: operator sign-in</title><style>${STYLE}</style></head>
<body><h1>Payload codec</h1>
${content}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
