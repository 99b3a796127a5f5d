import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../../database/postgres-errors';
import { DomainError, ErrorKind, FieldError } from './domain-error';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return HttpStatus.BAD_REQUEST;
    case 'unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'unprocessable':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'payload_too_large':
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case 'rate_limited':
      return HttpStatus.TOO_MANY_REQUESTS;
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const kebab = (code: string) => code.toLowerCase().replace(/_/g, '-');

export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Partial<ProblemDocument> = {},
): ProblemDocument {
  return {
    type: `urn:convene:problem:${kebab(code)}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}

/** Fastify's own errors (bad JSON, body too large, wrong content type) carry a code and status. */
interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

/**
 * A unique or foreign-key violation that a service did not turn into a domain error first, or a
 * value PostgreSQL refuses as data (a NUL character in a string, an impossible date).
 */
function fromDatabase(driverError: unknown): ProblemDocument | undefined {
  const { code, constraint } = driverError as { code?: string; constraint?: string };
  if (typeof code === 'string' && code.startsWith('22')) {
    // SQLSTATE class 22, "data exception": the value came from the request, so it is bad input
    // (a 400, never a 500). The database's own message is not shown: it names internals.
    return problem(400, 'INVALID_VALUE', 'A value in the request cannot be stored or compared.');
  }
  if (code === '23505') {
    return problem(409, 'ALREADY_EXISTS', 'A record with these values already exists.', {
      constraint,
    });
  }
  if (code === '23503') {
    return problem(409, 'STILL_REFERENCED', 'Other records still depend on this one.', {
      constraint,
    });
  }
  return undefined;
}

/**
 * Every error leaves as application/problem+json (RFC 9457). Domain errors carry their own kind
 * and code; HTTP and framework errors are translated; anything unexpected is logged and answered
 * with a bare 500 that reveals nothing of the internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const body = this.toProblem(exception, request);
    if (body.status === 401) reply.header('WWW-Authenticate', 'Bearer');
    if (body.code === 'DATABASE_UNAVAILABLE') reply.header('Retry-After', '1');
    void reply
      .status(body.status)
      .header('Content-Type', 'application/problem+json; charset=utf-8')
      .send({ ...body, requestId: request.id });
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemDocument {
    if (exception instanceof DomainError) {
      return problem(statusOf(exception.kind), exception.code, exception.message, {
        ...exception.extensions,
        ...(exception.fieldErrors ? { errors: exception.fieldErrors } : {}),
      });
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    if (exception instanceof QueryFailedError) {
      const known = fromDatabase(exception.driverError);
      if (known) return known;
    }
    if (isDatabaseUnavailable(exception)) {
      // The database is down or restarting, not the request at fault: a retry will do. A
      // transaction cut off at COMMIT may have committed; an Idempotency-Key retry tells.
      this.logger.warn({
        msg: 'Database unavailable',
        reason: String((exception as Error).message ?? exception),
        route: request.routeOptions?.url,
        requestId: request.id,
      });
      return problem(
        503,
        'DATABASE_UNAVAILABLE',
        'The database is not reachable just now. Please try again in a moment.',
      );
    }
    this.logger.error({
      msg: 'Unhandled error',
      err: exception,
      route: request.routeOptions?.url,
      requestId: request.id,
    });
    return problem(500, 'INTERNAL', 'Something went wrong on our side. Please try again.');
  }

  private fromHttpException(exception: HttpException, request: FastifyRequest): ProblemDocument {
    // Nest wraps Fastify's own 4xx errors (bad JSON, body too large) and keeps them as the cause.
    const cause = exception.cause as FastifyLikeError | undefined;
    if (typeof cause?.code === 'string' && cause.code.startsWith('FST_')) {
      return this.fromFastifyError(cause);
    }
    const status = exception.getStatus();
    const response = exception.getResponse();
    const details =
      typeof response === 'object' && response !== null && 'details' in response
        ? { checks: response.details }
        : {};
    switch (status) {
      case 404:
        return problem(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url}.`);
      case 429:
        return problem(429, 'RATE_LIMITED', 'Too many requests from this address; slow down.');
      case 503:
        return problem(503, 'UNAVAILABLE', 'The service is not ready.', details);
      default:
        return problem(status, `HTTP_${status}`, exception.message, details);
    }
  }

  private fromFastifyError(error: FastifyLikeError): ProblemDocument {
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return problem(413, 'BODY_TOO_LARGE', 'The request body is larger than allowed.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
      default:
        return problem(error.statusCode as number, 'BAD_REQUEST', error.message);
    }
  }
}
