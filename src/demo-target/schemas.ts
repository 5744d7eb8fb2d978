// JSON schemas of the demo target's routes, requests and answers (errors included).

export const productSchema = {
  type: 'object',
  required: ['id', 'name', 'price', 'category'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    price: { type: 'number' },
    category: { type: 'string' },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' }, id: { type: 'integer' } },
} as const;

/** Fastify's own answer when a request fails schema validation. */
export const validationErrorSchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

export const cartItemBodySchema = {
  type: 'object',
  required: ['productId', 'quantity'],
  additionalProperties: false,
  properties: {
    productId: { type: 'integer', minimum: 1 },
    quantity: { type: 'integer', minimum: 1, maximum: 99 },
  },
} as const;

export const cartLineSchema = {
  type: 'object',
  required: ['lineId', 'productId', 'name', 'unitPrice', 'quantity', 'lineTotal'],
  properties: {
    lineId: { type: 'integer' },
    productId: { type: 'integer' },
    name: { type: 'string' },
    unitPrice: { type: 'number' },
    quantity: { type: 'integer' },
    lineTotal: { type: 'number' },
  },
} as const;

export const statsSchema = {
  type: 'object',
  required: ['served', 'errorsInjected'],
  properties: {
    served: {
      type: 'object',
      required: ['total', 'byRoute'],
      properties: {
        total: { type: 'integer' },
        byRoute: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
    errorsInjected: { type: 'integer' },
  },
} as const;
