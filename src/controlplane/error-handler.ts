import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_CATALOGUE, LoadctlError, isLoadctlError, type ErrorCode } from '../domain/errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** Every error leaves as `{error:{code,message}}` with the catalogue's status; bad input is never a 500. */
export function installErrorHandling(app: FastifyInstance, log: (message: string) => void): void {
  app.setErrorHandler((error: FastifyError | LoadctlError, request, reply) => {
    if (isLoadctlError(error)) {
      return reply.status(error.httpStatus).send(errorBody(error.code, error.message, error.details));
    }
    if (error.validation) {
      const first = error.validation[0];
      const path = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
      const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
      const field = [path, missing ?? extra].filter(Boolean).join('.') || error.validationContext || 'body';
      const message = extra ? `unknown field "${extra}"` : missing ? `${field} is required` : `${field} ${first?.message ?? 'is invalid'}`;
      return reply.status(400).send(errorBody('LOADCTL_BAD_REQUEST', `Invalid ${error.validationContext ?? 'request'}: ${message}.`, { field, location: error.validationContext }));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(errorBody('LOADCTL_BODY_TOO_LARGE', `The request body is over the ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} byte limit.`));
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Malformed JSON, wrong content type and the like: the client's fault, say so.
      return reply.status(error.statusCode).send(errorBody('LOADCTL_BAD_REQUEST', error.message));
    }
    log(`internal error on ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return reply.status(500).send(errorBody('LOADCTL_INTERNAL', `${ERROR_CATALOGUE.LOADCTL_INTERNAL.summary} The server log has the details.`));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('LOADCTL_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}. See GET /openapi.json for the API.`));
  });
}
