import type { ServerResponse } from 'node:http';
import type { WebResponse } from '@microsoft/agents-hosting';

/**
 * The Express-like response surface the Agents SDK writes to (`status().send()`, `setHeader`, `end`), over
 * a plain node:http response. `send` ends the response as Express does; a later `end()` is a no-op.
 */
export function toWebResponse(res: ServerResponse): WebResponse {
  const web: WebResponse = {
    status(code) {
      res.statusCode = code;
      return web;
    },
    setHeader(name, value) {
      if (!res.headersSent) res.setHeader(name, value);
      return web;
    },
    send(body) {
      if (res.writableEnded) return web;
      if (body === undefined || body === null) {
        res.end();
      } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
        res.end(body);
      } else {
        const text = JSON.stringify(body);
        if (!res.headersSent) {
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.setHeader('content-length', Buffer.byteLength(text));
        }
        res.end(text);
      }
      return web;
    },
    end() {
      if (!res.writableEnded) res.end();
      return web;
    },
    get headersSent() {
      return res.headersSent;
    },
    get writableEnded() {
      return res.writableEnded;
    },
  };
  return web;
}

/** Records what the SDK's JWT middleware would answer, so the handler can answer in our error shape. */
export function captureWebResponse(): WebResponse & { code: number | null; body: unknown } {
  let ended = false;
  const cap = {
    code: null as number | null,
    body: undefined as unknown,
    status(code: number) {
      cap.code = code;
      return cap;
    },
    setHeader() {
      return cap;
    },
    send(body?: unknown) {
      cap.body = body;
      ended = true;
      return cap;
    },
    end() {
      ended = true;
      return cap;
    },
    get headersSent() {
      return ended;
    },
    get writableEnded() {
      return ended;
    },
  };
  return cap;
}
