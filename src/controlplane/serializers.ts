import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;

/**
 * Fastify's own response serializers (fast-json-stringify, so the output stays byte for byte
 * the same), each compiled on its route's first answer with that status instead of for every
 * route at start-up: a CLI command's control plane answers a handful of ~40 routes (issue 14).
 * Given to Fastify as `schemaController.compilersFactory.buildSerializer`.
 */
export function lazySerializers(build: SerializerFactory = SerializerSelector()): SerializerFactory {
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => compileOnFirstUse(() => compile(route));
  };
}

function compileOnFirstUse(compile: () => Serializer): Serializer {
  let compiled: Serializer | undefined;
  return (document) => (compiled ??= compile())(document);
}
