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
  // Routes sharing a schema (the three plugin callbacks, every :id) share its compiled validator.
  const compiled = new Map<string, ValidateFunction>();
  app.setValidatorCompiler(({ schema, httpPart, url }) => {
    const ajv = httpPart === 'body' ? forBodies : forText;
    const key = `${httpPart === 'body' ? 'body' : 'text'}:${JSON.stringify(schema)}`;
    const compile = (): ValidateFunction => {
      let validate = compiled.get(key);
      if (!validate) compiled.set(key, (validate = ajv.compile(schema)));
      return validate;
    };
    // The plugin's test-start waits for our answer before Locust spawns users: its large body
    // schema is compiled while Locust still starts, not on that first callback.
    if (url.startsWith('/v1/internal/')) setTimeout(compile, 0).unref();
    return compileOnFirstUse(compile);
  });
}

/** A validator that compiles its schema when first called; Fastify reads its `errors` after a call. */
function compileOnFirstUse(compile: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= compile();
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  validate.errors = null;
  return validate;
}
