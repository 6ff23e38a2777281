import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** A request as the emulator routes see it: path without the mount prefix, body already read. */
export interface EmuRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Public base URL including the mount prefix, for `link`/`self`/`Location` values. */
  baseUrl: string;
}

/** A response as data, so that fault injection can delay or replace it before it is written. */
export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless `raw` is set (a Buffer: an attachment's bytes). */
  body?: unknown;
  raw?: string | Buffer;
}

/** A request body over the emulator's `limits.bodyBytes`; answered 413 without reading the rest. */
export class EmuBodyTooLargeError extends Error {}

/**
 * Reads the request body up to `limit` bytes (the emulators only deal with small JSON and attachment
 * payloads); a declared or actual size above it throws before more is buffered.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit)
    throw new EmuBodyTooLargeError(`declared body over the sandbox's ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new EmuBodyTooLargeError(`body over the sandbox's ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes an EmuResponse unless the client has already gone away (timeouts leave the socket closed). */
export function writeResponse(res: ServerResponse, r: EmuResponse): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = { ...r.headers };
  let payload: string | Buffer | undefined;
  if (r.raw !== undefined) payload = r.raw;
  else if (r.body !== undefined) {
    payload = JSON.stringify(r.body);
    headers['Content-Type'] ??= 'application/json;charset=UTF-8';
  }
  res.writeHead(r.status, headers);
  res.end(payload);
}

/** Parses a JSON body; `undefined` for an empty body, `SyntaxError` for malformed JSON. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  return JSON.parse(body.toString('utf8')) as unknown;
}

/** Builds an EmuRequest from a node request mounted under `prefix`; null when the URL is not ours. */
export async function toEmuRequest(
  req: IncomingMessage,
  prefix: string,
  bodyLimit: number,
): Promise<EmuRequest | null> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  if (prefix && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return null;
  const host = req.headers.host ?? 'localhost';
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname.slice(prefix.length) || '/',
    query: url.searchParams,
    headers: req.headers,
    body: await readBody(req, bodyLimit),
    baseUrl: `http://${host}${prefix}`,
  };
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
