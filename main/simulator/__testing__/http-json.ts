/** Status and parsed JSON body of an HTTP response. */
export interface JsonResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Sends a request to the simulator and parses the JSON response. */
export async function httpJson(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Returns the `result.status` of a successful object query. */
export function queriedStatus(response: JsonResponse): Record<string, Record<string, unknown>> {
  const result = response.body['result'] as { status: Record<string, Record<string, unknown>> };
  return result.status;
}
