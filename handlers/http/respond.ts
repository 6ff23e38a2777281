import type { ServerResponse } from 'node:http';

/** Sends a JSON body with the given status; extra headers (Retry-After, …) as given. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Our error shape: `{error: code, message, issues?: [{path, message}]}`. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  extra: { issues?: { path: string; message: string }[]; headers?: Record<string, string> } = {},
): void {
  sendJson(res, status, { error, message, ...(extra.issues ? { issues: extra.issues } : {}) }, extra.headers);
}
