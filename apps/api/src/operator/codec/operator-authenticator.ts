import { Inject, Injectable } from '@nestjs/common';
import { isLoopbackHost } from '@app/config';
import type { IncomingHttpHeaders } from 'node:http';
import { OPERATOR_SECTION, type OperatorSection } from '../../api-config-sections';
import { NamedTokens } from '../../http/auth/named-tokens';
import { OperatorSessions, type IssuedSession } from './operator-sessions';
import { sessionFromCookieHeader } from './session-cookie';

/** Who the audit line names for a request of the local stack's Web UI without a session (CODEC_LOCAL_NO_SIGN_IN). */
export const LOCAL_OPERATOR = 'local-web-ui';

/**
 * Who may read decrypted payloads: holders of an OPERATOR_TOKENS token, presented as a bearer
 * token (CLI, scripts) or through a session cookie from the login page (browsers). Checkout
 * clients' API_TOKENS never qualify.
 */
@Injectable()
export class OperatorAuthenticator {
  private readonly tokens: NamedTokens;
  private readonly sessions: OperatorSessions;
  private readonly secureCookie: boolean;
  private readonly localNoSignIn: boolean;

  constructor(@Inject(OPERATOR_SECTION) operator: OperatorSection) {
    const credentials = operator.credentials;
    if (credentials === null) throw new Error('the codec server needs OPERATOR_TOKENS and CODEC_SESSION_SECRET');
    this.tokens = new NamedTokens(credentials.operators);
    this.sessions = new OperatorSessions(credentials.operators, credentials.sessionSecret, operator.sessionTtlMs);
    this.secureCookie = operator.cookieSecure;
    // loadApiConfig allows it only on loopback with the published keys, outside production.
    this.localNoSignIn = operator.localNoSignIn;
  }

  /**
   * The operator behind a request, from its bearer token or else its session cookie; null when
   * neither is valid. On the local stack (CODEC_LOCAL_NO_SIGN_IN) a request with neither, sent to
   * a loopback name, is the local Web UI's; a wrong bearer token is refused there too.
   */
  authenticate(headers: IncomingHttpHeaders): string | null {
    if (headers.authorization !== undefined) return this.tokens.authenticate(headers.authorization);
    return this.signedIn(headers.cookie) ?? (this.localNoSignIn && addressedToLoopback(headers.host) ? LOCAL_OPERATOR : null);
  }

  /** A browser session for whoever holds `token`, or null when nobody does. */
  signIn(token: string): { operator: string; session: IssuedSession } | null {
    const operator = this.tokens.identify(token);
    return operator === null ? null : { operator, session: this.sessions.issue(operator) };
  }

  /** The operator of a session cookie, for the login page to say who is signed in. */
  signedIn(cookieHeader: string | undefined): string | null {
    const session = sessionFromCookieHeader(cookieHeader, this.secureCookie);
    return session === null ? null : this.sessions.verify(session);
  }
}

/**
 * Whether the request names a loopback host (`Host: 127.0.0.1:3002`). A site that points its own
 * name at 127.0.0.1 (DNS rebinding) reaches the port but sends its own name, so it gets nothing.
 */
function addressedToLoopback(host: string | undefined): boolean {
  return host !== undefined && URL.canParse(`http://${host}`) && isLoopbackHost(new URL(`http://${host}`).hostname);
}
