// Generators of malformed requests for the API fuzz tests. Every value produced here is wrong
// for its schema by construction, and stays wrong under Fastify's default Ajv coercion
// (coerceTypes: 'array'): strings for numbers are never numeric, arrays have two items,
// nothing is null or boolean where coercion would turn it into something valid.
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  maxProperties?: number;
  minProperties?: number;
  pattern?: string;
  format?: string;
  /** OpenAPI 3.0's spelling of `type: [..., 'null']` */
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI form: /v1/runs/{id} */
  path: string;
  pathParams: Parameter[];
  query: Parameter[];
  body?: JsonSchema;
}

/** Every operation the OpenAPI document (generated from the route schemas) lists. */
export function operationsOf(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters: { in: string; name: string; schema: JsonSchema }[] = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((parameter) => parameter.in === 'path'),
        query: parameters.filter((parameter) => parameter.in === 'query'),
        ...(operation.requestBody ? { body: operation.requestBody.content['application/json'].schema as JsonSchema } : {}),
      });
    }
  }
  return operations;
}

export function mainType(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

/** Percent-encodes everything but unreserved letters, dots included, so `..` never becomes a path step. */
export function encodeSegment(value: string): string {
  // byte by byte, so a lone surrogate (which encodeURIComponent throws on) is sent as U+FFFD
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Strings with unicode, NUL bytes, operators and path tricks. */
export const nastyText = fc.oneof(
  fc.constantFrom('$ne', '$where', '{"$gt":""}', '..', '../../etc/passwd', '\u0000', 'a\u0000b', 'é', '日本語', '💥', '\u202e', ' ', 'a b', "'; DROP TABLE runs; --", '%00', '\uFFFF', '\uD800'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
);

/** A path parameter value that an id schema refuses. */
export const badId = fc.oneof(
  // a whole segment of . or .. is resolved by the client's URL parser (WHATWG, even as %2E%2E) before it is sent
  nastyText.filter((value) => !ID.test(value) && value !== '.' && value !== '..'),
  // over the schema's 64; Fastify's own limit on a path parameter (100) is fuzzed separately
  fc.string({ unit: fc.constantFrom('a', 'Z', '9', '_', '-'), minLength: 65, maxLength: 100 }),
);

/**
 * A path or query value that an integer schema in [min, max] refuses, even after coercion.
 * Non-finite spellings (Infinity, 1e400) are left to their own test: Ajv's coercion lets them through.
 */
export function badIntegerText(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
  const max = schema.maximum ?? Number.POSITIVE_INFINITY;
  // Ajv coerces any non-empty text JavaScript reads as a number (' ' is 0, ' 5' is 5)
  const acceptable = (text: string): boolean => {
    const number = Number(text);
    return text !== '' && Number.isInteger(number) && number >= min && number <= max;
  };
  return fc
    .oneof(fc.constantFrom('abc', 'NaN', '1.5', '1e308', '-1e308', '0', '-1', '-0', '99999999999999999999', '1000001', '%00', '$ne'), fc.integer().map(String), nastyText)
    .filter((text) => !acceptable(text));
}

/** Values a JSON body field of this schema refuses, without coercion rescuing them. */
export function badValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const neverScalar = fc.constantFrom<unknown>({ nested: true }, [1, 2], { $gt: 0 }, { $ne: null });
  const type = mainType(schema);
  const options: fc.Arbitrary<unknown>[] = [];
  if (type === 'string') {
    options.push(neverScalar);
    if ((schema.minLength ?? 0) >= 1) options.push(fc.constant(''));
    if (schema.maxLength !== undefined) {
      const length = schema.maxLength + 1;
      options.push(fc.constantFrom('x'.repeat(length), 'é'.repeat(length), `${'\u0000'.repeat(length)}`, '💥'.repeat(length)));
    }
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern, 'u');
      const candidates = ['localhost:8000', 'ftp://example.com/x', 'http://a b', 'javascript:alert(1)', '//evil.example/x', 'http://', '$ne', 'a b', '..', 'é', 'a\u0000b', 'Running;DROP'];
      options.push(fc.constantFrom(...candidates.filter((candidate) => !pattern.test(candidate))));
      options.push(nastyText.filter((value) => !pattern.test(value)));
    }
    if (schema.format === 'date-time') options.push(fc.constantFrom('yesterday', '2024-13-45T25:61:00Z', 'now', '0', '2024-01-01'));
  } else if (type === 'integer' || type === 'number') {
    // '' coerces to null, which a nullable field accepts (coercion is fuzzed on its own)
    const nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
    options.push(neverScalar, fc.constantFrom('abc', 'NaN', 'ten', '1,5', '0x', '$ne', ...(nullable ? [] : [''])));
    if (type === 'integer') options.push(fc.constantFrom(1.5, 0.000001, 2.5e-300));
    if (schema.minimum !== undefined) options.push(fc.constantFrom(schema.minimum - 1, -1e308, Number.MIN_SAFE_INTEGER).filter((value) => value < schema.minimum!));
    if (schema.exclusiveMinimum !== undefined) options.push(fc.constantFrom(schema.exclusiveMinimum, schema.exclusiveMinimum - 1, -1e308));
    if (schema.maximum !== undefined) options.push(fc.constantFrom(schema.maximum + 1, 1e308, Number.MAX_SAFE_INTEGER).filter((value) => value > schema.maximum!));
  } else if (type === 'boolean') {
    options.push(neverScalar, fc.constantFrom('yes', 'no', 2, -1, 'on'));
  } else if (type === 'object') {
    options.push(fc.constantFrom<unknown>('x', 12, [1, 2], 'null'));
    if (schema.maxProperties !== undefined) {
      options.push(fc.constant(Object.fromEntries(Array.from({ length: schema.maxProperties + 1 }, (_, index) => [`k${index}`, index]))));
    }
    if (schema.propertyNames?.pattern) options.push(fc.constant({ 'not a number': 1 }));
    if (typeof schema.additionalProperties === 'object') {
      const inner = schema.additionalProperties;
      options.push(badValue(inner).map((value) => ({ '12': value })));
    }
  } else if (type === 'array') {
    options.push(fc.constantFrom<unknown>({}, { length: 1 }, { 0: 'a' }));
    if (schema.items) options.push(badValue(schema.items).map((item) => [item, item]));
    if (schema.maxItems !== undefined) options.push(fc.constant(Array.from({ length: schema.maxItems + 1 }, (_, index) => `t${index}`)));
  }
  if (options.length === 0) options.push(neverScalar);
  return fc.oneof(...options);
}

/** A value that the schema accepts, for the fields around the one that is broken. */
export function goodValue(schema: JsonSchema, key: string, known: Record<string, unknown>): unknown {
  if (key in known) return known[key];
  const type = mainType(schema);
  if (type === 'string') {
    if (schema.format === 'date-time') return new Date().toISOString();
    if (schema.pattern?.startsWith('^https?')) return 'http://127.0.0.1:9';
    if (schema.pattern) return 'abc';
    return 'x';
  }
  if (type === 'integer' || type === 'number') return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Number.POSITIVE_INFINITY);
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  return {};
}

/** The fields a body schema requires, each with an acceptable value. */
export function baseBody(schema: JsonSchema, known: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries((schema.required ?? []).map((key) => [key, goodValue(schema.properties?.[key] ?? {}, key, known)]));
}

/** Sprinkles unicode and NUL bytes into free-text fields that stay within their limits. */
export function garnish(body: Record<string, unknown>, schema: JsonSchema, text: string): Record<string, unknown> {
  const copy = { ...body };
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (mainType(property) !== 'string' || property.pattern || property.format || key === 'scriptContent' || !(key in copy)) continue;
    const value = `${String(copy[key])}${text}`;
    if (value.length <= (property.maxLength ?? 200)) copy[key] = value;
  }
  return copy;
}

/** One field of the body broken, or one required field missing; the other fields acceptable (some with unicode or NUL bytes). */
export function badBody(schema: JsonSchema, known: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const base = fc.option(nastyText, { nil: undefined }).map((text) => (text === undefined ? baseBody(schema, known) : garnish(baseBody(schema, known), schema, text)));
  const properties = Object.entries(schema.properties ?? {});
  const broken = fc.tuple(base, fc.constantFrom(...properties)).chain(([body, [key, property]]) => badValue(property).map((value) => ({ ...body, [key]: value })));
  if ((schema.required ?? []).length === 0) return broken;
  const missing = fc.tuple(base, fc.constantFrom(...schema.required!)).map(([body, key]) => Object.fromEntries(Object.entries(body).filter(([name]) => name !== key)));
  return fc.oneof({ arbitrary: broken, weight: 4 }, { arbitrary: missing, weight: 1 });
}

const DEEP = 10_000;
export const DEEP_ARRAY = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
export const DEEP_OBJECT = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;
const HUGE = `{"name":"${'x'.repeat(2 * 1024 * 1024 + 10)}"}`;

export interface RawBody {
  payload: string | Buffer;
  contentType: string;
  label: string;
}

/** Bodies wrong as a whole: not an object, not JSON, the wrong media type, too deep, too big. */
export function badRawBody(schema: JsonSchema, known: Record<string, unknown>): fc.Arbitrary<RawBody> {
  const json = (payload: string, label: string): RawBody => ({ payload, contentType: 'application/json', label });
  const base = JSON.stringify(baseBody(schema, known));
  const withField = (key: string, raw: string): string => `${base.slice(0, -1)}${base.length > 2 ? ',' : ''}"${key}":${raw}}`;
  // a string field nested 10,000 deep: wrong type however deep it goes
  const stringField = Object.entries(schema.properties ?? {}).find(([, property]) => mainType(property) === 'string')?.[0];
  return fc.oneof(
    fc.oneof(fc.array(fc.anything(), { maxLength: 5 }), fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean()).map((value) => json(JSON.stringify(value) ?? 'null', 'not an object')),
    fc.constantFrom('{', '{"a":', "{'a':1}", '{"a":1,}', 'NaN', '{"a":NaN}', '\u0000', '{"a":"\u0000', 'undefined', '{}}', '[}', '\uFEFF{', '').map((payload) => json(payload, 'not JSON')),
    fc.constant(json(DEEP_ARRAY, 'an array nested 10,000 deep')),
    fc.constant(json(base === '{}' ? '{"__proto__":{"admin":true}}' : `{"__proto__":{"admin":true},${base.slice(1)}`, '__proto__ key')),
    fc.constant(json(base === '{}' ? '{"constructor":{"prototype":{"admin":true}}}' : `{"constructor":{"prototype":{"admin":true}},${base.slice(1)}`, 'constructor.prototype key')),
    fc.constant(json(HUGE, 'over the 2 MiB body limit')),
    fc.constant({ payload: Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]), contentType: 'application/json', label: 'not UTF-8' }),
    fc.constantFrom('application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'text/plain').map((contentType) => ({ payload: base, contentType, label: `as ${contentType}` })),
    ...(stringField ? [fc.constantFrom(DEEP_ARRAY, DEEP_OBJECT).map((deep) => json(withField(stringField, deep), `${stringField} nested 10,000 deep`))] : []),
    // numbers JSON can spell but no schema bound admits
    ...Object.entries(schema.properties ?? {})
      .filter(([, property]) => ['integer', 'number'].includes(mainType(property) ?? '') && property.maximum !== undefined)
      .map(([key]) => fc.constantFrom('1e999', '-1e999', '1e308').map((number) => json(withField(key, number), `${key} ${number}`))),
  );
}

/** Query values a parameter refuses, even after coercion (repeated keys become arrays). */
export function badQueryEntry(parameter: Parameter): fc.Arbitrary<string> {
  const { name, schema } = parameter;
  const type = mainType(schema);
  // A list parameter (`tags=a&tags=b`) takes a repeated key: refuse an item, or one too many.
  if (type === 'array') return badListEntry(name, schema);
  let values: fc.Arbitrary<string>;
  if (type === 'integer' || type === 'number') values = badIntegerText(schema).map(encodeSegment);
  else if (schema.format === 'date-time') values = fc.constantFrom('yesterday', '2024-13-45T25%3A61%3A00Z', 'now', '%00', encodeSegment('💥'));
  else if (schema.pattern) {
    const pattern = new RegExp(schema.pattern, 'u');
    values = fc.oneof(fc.constantFrom('Bogus', 'running', 'Running,', ',Running', 'Running;DROP', '$ne', 'a b', '..', 'é'), nastyText).filter((value) => !pattern.test(value)).map(encodeSegment);
  } else if (schema.maxLength !== undefined) values = fc.constantFrom(encodeSegment('é'.repeat(schema.maxLength + 1)), 'x'.repeat(schema.maxLength + 1));
  else values = fc.constant('%00');
  return fc.oneof(
    values.map((value) => `${name}=${value}`),
    // a repeated key is an array of two, which no scalar schema accepts
    fc.constant(`${name}=1&${name}=2`),
  );
}

function badListEntry(name: string, schema: JsonSchema): fc.Arbitrary<string> {
  const itemLimit = schema.items?.maxLength ?? 100;
  const tooMany = Array.from({ length: (schema.maxItems ?? 50) + 1 }, (_, index) => `${name}=t${index}`).join('&');
  return fc.constantFrom(`${name}=${'x'.repeat(itemLimit + 1)}`, `${name}=a&${name}=${'x'.repeat(itemLimit + 1)}`, tooMany);
}

/** `$` operators and keys the API does not know: never forwarded, and refused rather than dropped. */
export const operatorQueryEntry = fc.constantFrom(
  'status[$ne]=x',
  'name[$regex]=.*',
  'limit[$gt]=0',
  'loadTestId[$ne]=',
  '$where=1',
  'tag[$in][]=a',
  'foo=bar',
  '__proto__[admin]=1',
  'constructor[prototype][admin]=1',
);
