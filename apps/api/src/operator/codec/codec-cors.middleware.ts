import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { OPERATOR_SECTION, type OperatorSection } from '../../api-config-sections';

/** What the Web UI sends to a codec server: JSON, its namespace, and a bearer token when it passes one. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';
const PREFLIGHT_CACHE_SECONDS = 600;

/**
 * CORS for the codec, granted only to the Web UI origins in CODEC_ALLOWED_ORIGINS, with
 * credentials so the UI's "include cross-origin credentials" option carries the session cookie.
 * Any other origin gets no CORS headers at all, so browsers keep its pages from reading answers.
 */
@Injectable()
export class CodecCorsMiddleware implements NestMiddleware {
  private readonly allowed: ReadonlySet<string>;

  constructor(@Inject(OPERATOR_SECTION) operator: OperatorSection) {
    this.allowed = operator.allowedOrigins;
  }

  use(request: Request, response: Response, next: NextFunction): void {
    // Answers differ by Origin, so caches must keep them apart even when no grant is given.
    response.vary('Origin');
    const origin = request.headers.origin;
    const granted = origin !== undefined && this.allowed.has(origin);
    if (granted) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (request.method !== 'OPTIONS') {
      next();
      return;
    }
    if (granted) {
      response.setHeader('Access-Control-Allow-Methods', 'POST');
      response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      response.setHeader('Access-Control-Max-Age', String(PREFLIGHT_CACHE_SECONDS));
    }
    response.status(204).end();
  }
}
