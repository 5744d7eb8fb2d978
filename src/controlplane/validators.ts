import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const COMMON: Options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false };

/**
 * JSON bodies are validated as sent: "5" is not an integer and ["x"] not a string. Query
 * strings and path parameters are text by nature, so numbers there are converted first.
 */
export function installValidators(app: FastifyInstance): void {
  const forBodies = new Ajv({ ...COMMON, coerceTypes: false });
  const forText = new Ajv({ ...COMMON, coerceTypes: 'array' });
  for (const ajv of [forBodies, forText]) addFormats.default(ajv);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? forBodies : forText).compile(schema));
}
