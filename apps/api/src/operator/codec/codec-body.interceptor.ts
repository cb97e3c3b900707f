import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ApiProblemException } from '../../http/problems/api-problem';
import { BodyTooLarge, readBoundedBody } from '../../http/bounded-body';

/**
 * Codec bodies carry whole payloads, base64 and encrypted: a run's input holds a request body of up
 * to 100 KB, and Temporal accepts payloads of up to 2 MB.
 */
const CODEC_BODY_LIMIT_BYTES = 3 * 1024 * 1024;

/**
 * Reads a codec request's JSON body into `request.body` only once the operator guard has let the
 * request through (Nest runs guards before interceptors). Parsed before, as an app-wide body
 * parser would, anyone could make the API buffer and parse megabytes per request without a token.
 */
@Injectable()
export class CodecBodyInterceptor implements NestInterceptor {
  async intercept(execution: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = execution.switchToHttp().getRequest<Request>();
    // `is` answers null for a request without a body, false for another type: neither is JSON.
    if (typeof request.is('application/json') !== 'string') throw new ApiProblemException('unsupported_media_type');
    let text: string;
    try {
      text = (await readBoundedBody(request, CODEC_BODY_LIMIT_BYTES)).toString('utf8');
    } catch (error) {
      if (error instanceof BodyTooLarge) throw new ApiProblemException('payload_too_large');
      throw error;
    }
    try {
      request.body = JSON.parse(text) as unknown;
    } catch {
      throw new ApiProblemException('json_syntax_error');
    }
    return next.handle();
  }
}
