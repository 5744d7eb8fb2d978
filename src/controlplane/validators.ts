import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const COMMON: Options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false };

/**
 * JSON bodies are validated as sent: "5" is not an integer and ["x"] not a string. Query
 * strings and path parameters are text by nature, so numbers there are converted first.
 * Each schema is compiled on its route's first request, not at start-up: a CLI command's
 * control plane answers a handful of routes of the ~40 it has (issue 14).
 */
export function installValidators(app: FastifyInstance): void {
  const forBodies = new Ajv({ ...COMMON, coerceTypes: false });
  const forText = new Ajv({ ...COMMON, coerceTypes: 'array' });
  for (const ajv of [forBodies, forText]) addFormats.default(ajv);
  app.setValidatorCompiler(({ schema, httpPart }) => compileOnFirstUse(httpPart === 'body' ? forBodies : forText, schema));
}

/** A validator that compiles `schema` when first called; Fastify reads its `errors` after a call. */
function compileOnFirstUse(ajv: Ajv, schema: object): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  validate.errors = null;
  return validate;
}
