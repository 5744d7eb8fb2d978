// What Fastify's serializer (fast-json-stringify) makes of a value under a response schema,
// without loading it: named properties in its order (required ones first), others only where
// additionalProperties allows, integers truncated. The local read API answers with it, so
// its answers equal the HTTP API's byte for byte (test/controlplane/local-read-api.test.ts).

export interface JsonSchema {
  type?: string | readonly string[];
  properties?: Readonly<Record<string, JsonSchema>>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  [keyword: string]: unknown;
}

export function projectToSchema(value: unknown, schema: JsonSchema): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return schema.items ? value.map((item) => projectToSchema(item, schema.items!)) : value;
  if (typeof value === 'object') return projectObject(value as Record<string, unknown>, schema);
  if (typeof value === 'number' && typesOf(schema).includes('integer') && !typesOf(schema).includes('number')) return Math.trunc(value);
  return value;
}

function projectObject(value: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
  const named = schema.properties;
  // An object schema that names nothing and says nothing of the rest passes the object as it is.
  if (!named && schema.additionalProperties === undefined) return value;
  const out: Record<string, unknown> = {};
  // fast-json-stringify writes the required properties first, then the other named ones.
  const required = ((schema.required as readonly string[] | undefined) ?? []).filter((key) => named && key in named);
  for (const key of [...required, ...Object.keys(named ?? {}).filter((key) => !required.includes(key))]) {
    if (value[key] !== undefined) out[key] = projectToSchema(value[key], named![key]!);
  }
  const rest = schema.additionalProperties;
  if (rest === undefined || rest === false) return out;
  for (const [key, item] of Object.entries(value)) {
    if (named && key in named) continue;
    if (item !== undefined) out[key] = rest === true ? item : projectToSchema(item, rest);
  }
  return out;
}

function typesOf(schema: JsonSchema): readonly string[] {
  return schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
}
