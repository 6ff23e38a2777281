import { API_TOKEN } from './test-app';

/** POSTs JSON to the bridge's API with the API token; the status and the parsed answer. */
export async function apiPost(baseUrl: string, path: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}
