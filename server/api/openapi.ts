/** The OpenAPI 3 document of the client API, written from its contract (common/api/client-api.ts), the same that the server serves. */
import { z } from 'zod';
import { ApiErrorBody } from '../../common/api/api-error.js';
import type { Endpoint } from '../../common/api/endpoint.js';
import { ROLES_FOR_ACCESS } from '../../common/api/endpoint.js';

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

type JsonResponse = Record<string, JsonSchema>;

const binary = { type: 'string', format: 'binary' };

/** What a success answers, by how the route's bytes travel. */
function successOf(spec: Endpoint): JsonResponse {
  switch (spec.kind) {
    case 'json':
    case 'upload':
      if (spec.response === undefined) return { [String(spec.successStatus ?? 204)]: { description: 'Done (no body)' } };
      return {
        [String(spec.successStatus ?? 200)]: { description: 'Success', content: { 'application/json': { schema: schemaOf(spec.response, 'output') } } },
      };
    case 'download':
      return { '200': { description: 'The file’s bytes, streamed with its content-type', content: { '*/*': { schema: binary } } } };
    case 'socket':
      return {
        '101': {
          description: `Switching protocols: a WebSocket whose every frame is one JSON event; closed with ${Object.entries(spec.closeCodes)
            .map(([name, code]) => `${code} (${name})`)
            .join(', ')}`,
          content: { 'application/json': { schema: schemaOf(spec.messages, 'output') } },
        },
      };
  }
}

function requestBodyOf(spec: Endpoint): JsonSchema | undefined {
  if (spec.kind === 'json' && spec.body !== undefined) return { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } };
  if (spec.kind === 'upload') return { required: true, content: { '*/*': { schema: binary } } };
  return undefined;
}

export function openApiDocument(routes: readonly Endpoint[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorResponse = { description: 'An error with a stable code', content: { 'application/json': { schema: schemaOf(ApiErrorBody, 'output') } } };
  for (const spec of routes) {
    const path = spec.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const header =
      spec.kind === 'socket'
        ? [{ name: spec.header.name, in: 'header', required: true, description: spec.header.description, schema: { type: 'string' } }]
        : [];
    const operation: JsonSchema = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[/_-](\w)/g, (_match, char: string) => char.toUpperCase())}`,
      parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query'), ...header],
      ...(spec.access === 'public' ? { security: [] } : {}),
      ...(spec.access === 'public' || spec.access === 'session' ? {} : { 'x-sportello-roles': ROLES_FOR_ACCESS[spec.access] }),
      responses: { ...successOf(spec), default: errorResponse },
    };
    const requestBody = requestBodyOf(spec);
    if (requestBody !== undefined) operation.requestBody = requestBody;
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
