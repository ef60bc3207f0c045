/**
 * A call to one route of the client API, built from its contract entry (common/api/client-api.ts):
 * method and path from the entry, the path parameters and query filled in, the JSON body or the
 * raw upload, the session token where the route needs one; the answer checked with the entry's
 * response schema.
 */
import { z } from 'zod';
import type { BodyInputOf, DownloadEndpoint, Endpoint, JsonEndpoint, ParamsOf, QueryOf, ResponseOf, UploadEndpoint } from '../../common/api/endpoint.js';
import { requestPath } from '../../common/api/endpoint.js';
import type { HttpsTarget } from './https-json.js';
import { errorOf, parseAnswer, requestJson, requestRaw } from './https-json.js';

type ParamsInput<E> = E extends { readonly params: z.ZodType } ? { readonly params: ParamsOf<E> } : { readonly params?: undefined };
type QueryInput<E> = E extends { readonly query: z.ZodType } ? { readonly query: QueryOf<E> } : { readonly query?: undefined };
type BodyInput<E> = E extends { readonly body: z.ZodType } ? { readonly body: BodyInputOf<E> } : { readonly body?: undefined };
type TokenInput<E> = E extends { readonly access: 'public' } ? { readonly token?: undefined } : { readonly token: string };

/** What a call to `E` carries: exactly the parts its contract entry declares. */
export type EndpointInput<E> = ParamsInput<E> & QueryInput<E> & BodyInput<E> & TokenInput<E>;

const Nothing = z.undefined();

function pathFor(endpoint: Endpoint, input: { params?: unknown; query?: unknown }): string {
  return requestPath(
    endpoint,
    input.params as Record<string, string | number> | undefined,
    input.query as Record<string, string | number | boolean | undefined> | undefined,
  );
}

/** A JSON route: any 2xx is a success, its body parsed with the route's response schema (none: 204). */
export function callJson<const E extends JsonEndpoint>(target: HttpsTarget, endpoint: E, input: EndpointInput<E>): Promise<ResponseOf<E>> {
  const { token, body } = input as { token?: string; body?: unknown };
  const schema = (endpoint.response ?? Nothing) as z.ZodType<ResponseOf<E>>;
  return requestJson(target, { method: endpoint.method, path: pathFor(endpoint, input), token, json: body }, schema);
}

/** An upload: the file's bytes as the body with its MIME type; a success is exactly the route's status. */
export async function callUpload<const E extends UploadEndpoint>(
  target: HttpsTarget,
  endpoint: E,
  input: EndpointInput<E> & { readonly bytes: Uint8Array; readonly contentType: string },
): Promise<ResponseOf<E>> {
  const { token } = input as { token?: string };
  const response = await requestRaw(target, {
    method: endpoint.method,
    path: pathFor(endpoint, input),
    token,
    body: input.bytes,
    contentType: input.contentType,
  });
  if (response.status !== endpoint.successStatus) throw errorOf(response);
  return parseAnswer(response, endpoint.response as z.ZodType<ResponseOf<E>>);
}

/** A download: the file's bytes (at most `maxBytes`) and their MIME type. */
export async function callDownload<const E extends DownloadEndpoint>(
  target: HttpsTarget,
  endpoint: E,
  input: EndpointInput<E> & { readonly maxBytes: number },
): Promise<{ mimeType: string; bytes: Uint8Array<ArrayBuffer> }> {
  const { token } = input as { token?: string };
  const response = await requestRaw(target, { method: endpoint.method, path: pathFor(endpoint, input), token, maxBytes: input.maxBytes });
  if (response.status !== 200) throw errorOf(response);
  return { mimeType: response.contentType.split(';')[0]?.trim() || 'application/octet-stream', bytes: Uint8Array.from(response.bytes) };
}
