/** How every route validates what it receives (Fastify's Ajv). */
export const AJV_OPTIONS = {
  // One error item per problem, as FastAPI reports them; bodies are size-capped and arrays bounded.
  allErrors: true,
  // Unknown fields are dropped (pydantic's default), never stored.
  removeAdditional: 'all',
  // No coercion: it would turn null into 0 and "Infinity" into a number.
  coerceTypes: false,
  useDefaults: true,
} as const;
