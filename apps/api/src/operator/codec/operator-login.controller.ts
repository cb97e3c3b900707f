import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OPERATOR_SECTION, type OperatorSection } from '../../api-config-sections';
import { ApiProblemException } from '../../http/problems/api-problem';
import { AttemptLimiter } from './attempt-limiter';
import { CODEC_PATH } from './codec-dialect';
import { BodyTooLarge, readBoundedBody } from '../../http/bounded-body';
import { LOGIN_PAGE_HEADERS, loginPage, type LoginPageState } from './login-page';
import { OperatorAuthenticator } from './operator-authenticator';
import { isSameOriginRequest, ownOrigin } from './same-origin';
import { sessionCookie } from './session-cookie';

/** A token is at most a few hundred bytes; the form holds nothing else. */
const FORM_LIMIT_BYTES = 4096;
/** Failed sign-ins allowed per client address and window: plenty for a person mistyping, nothing for guessing. */
const FAILED_SIGN_INS_PER_WINDOW = 10;
const SIGN_IN_WINDOW_MS = 60_000;

/**
 * The browser side of the codec's authentication: a page where an operator exchanges a token
 * for a session cookie the Web UI then sends with its codec requests, and signs out again.
 */
@Controller(CODEC_PATH.slice(1))
export class OperatorLoginController {
  private readonly failedSignIns = new AttemptLimiter(FAILED_SIGN_INS_PER_WINDOW, SIGN_IN_WINDOW_MS);

  constructor(
    private readonly authenticator: OperatorAuthenticator,
    @Inject(OPERATOR_SECTION) private readonly operator: OperatorSection,
  ) {}

  @Get('login')
  page(@Req() request: Request, @Res() response: Response): void {
    const operator = this.authenticator.signedIn(request.headers.cookie);
    const state: LoginPageState =
      operator === null ? { signedInAs: null, error: null } : { signedInAs: operator, codecEndpoint: `${request.protocol}://${request.get('host') ?? ''}${CODEC_PATH}` };
    this.render(response, 200, state);
  }

  @Post('login')
  async signIn(@Req() request: Request, @Res() response: Response): Promise<void> {
    // Before the body is read: another site's form gets nothing from this server but the refusal.
    if (this.refusedAsCrossSite(request, response)) return;
    // The socket's own address: a forwarded-for header is whatever the client wants it to be.
    const client = request.socket.remoteAddress ?? 'unknown';
    const retryAfter = this.failedSignIns.retryAfterSeconds(client);
    if (retryAfter !== null) {
      response.setHeader('Retry-After', String(retryAfter));
      this.render(response, 429, { signedInAs: null, error: `Too many failed sign-ins from your address: try again in ${retryAfter} s.` });
      return;
    }
    if (!request.is('application/x-www-form-urlencoded')) throw new ApiProblemException('unsupported_media_type', 'Sign in with the form at /codec/login.');
    let form: URLSearchParams;
    try {
      form = new URLSearchParams((await readBoundedBody(request, FORM_LIMIT_BYTES)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLarge) throw new ApiProblemException('payload_too_large');
      throw error;
    }
    const signedIn = this.authenticator.signIn(form.get('token') ?? '');
    if (signedIn === null) {
      this.failedSignIns.recordFailure(client);
      this.render(response, 401, { signedInAs: null, error: 'That is not an operator token.' });
      return;
    }
    response.setHeader('Set-Cookie', sessionCookie(signedIn.session, this.operator.cookieSecure));
    // Post/redirect/get: reloading the page must not post the token again.
    response.redirect(303, `${CODEC_PATH}/login`);
  }

  @Post('logout')
  signOut(@Req() request: Request, @Res() response: Response): void {
    if (this.refusedAsCrossSite(request, response)) return;
    response.setHeader('Set-Cookie', sessionCookie(null, this.operator.cookieSecure));
    response.redirect(303, `${CODEC_PATH}/login`);
  }

  /** Answers 403 to a sign-in or sign-out that another site's page sent (login CSRF, forced logout). */
  private refusedAsCrossSite(request: Request, response: Response): boolean {
    const origin = ownOrigin(request.headers, this.operator.cookieSecure);
    if (isSameOriginRequest(request.headers, origin)) return false;
    this.render(response, 403, { signedInAs: null, error: `Refused: this request did not come from this page. Sign in or out at ${origin}${CODEC_PATH}/login.` });
    return true;
  }

  private render(response: Response, status: number, state: LoginPageState): void {
    response.status(status).set(LOGIN_PAGE_HEADERS).send(loginPage(state));
  }
}
