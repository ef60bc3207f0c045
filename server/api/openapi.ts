/** The OpenAPI 3 document of the client API, written from the same route declarations that serve it. */
import { z } from 'zod';
import { ApiErrorBody } from '../../common/api/api-error.js';
import type { AnyApiRoute } from './api-route.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });
}

function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (schema === undefined) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

export function openApiDocument(routes: readonly AnyApiRoute[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorResponse = { description: 'An error with a stable code', content: { 'application/json': { schema: schemaOf(ApiErrorBody, 'output') } } };
  for (const spec of routes) {
    const path = spec.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const operation: JsonSchema = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[/_-](\w)/g, (_match, char: string) => char.toUpperCase())}`,
      parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
      ...(spec.access === 'public' ? { security: [] } : {}),
      ...(spec.access === 'supervisor' || spec.access === 'admin' ? { 'x-sportello-role': spec.access } : {}),
      responses: {
        [String(spec.successStatus ?? (spec.response === undefined ? 204 : 200))]:
          spec.response === undefined ? { description: 'Done (no body), or a stream' } : { description: 'Success', content: { 'application/json': { schema: schemaOf(spec.response, 'output') } } },
        default: errorResponse,
      },
    };
    if (spec.body !== undefined) operation.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } };
    if (spec.rawBody !== undefined) operation.requestBody = { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } };
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Sportello client API', version: info.version, description: 'The inbox server’s API for paired Sportello workstations.' },
    components: { securitySchemes: { session: { type: 'http', scheme: 'bearer', description: 'An access token from POST /v1/sessions' } } },
    security: [{ session: [] }],
    paths,
  };
}
