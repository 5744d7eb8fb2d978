import type { FastifyInstance } from 'fastify';
import { LoadctlError } from '../../domain/errors.js';

/**
 * Refuses Infinity in a path or query parameter. Ajv coerces the text "Infinity" (or 1e400)
 * to a number and then skips minimum and maximum, which it checks on finite numbers only,
 * so `?limit=Infinity` would otherwise reach the store.
 */
export function refuseNonFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const [location, values] of [['params', request.params], ['querystring', request.query]] as const) {
      for (const [field, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (typeof value === 'number' && !Number.isFinite(value)) {
          throw new LoadctlError('LOADCTL_BAD_REQUEST', `Invalid ${location}: ${field} must be a finite number.`, { details: { field, location } });
        }
      }
    }
  });
}
