import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './respond';

export class BodyTooLargeError extends Error {}

/** Reads the raw body (needed for HMAC checks) and stops at `limit` bytes, before buffering more. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    throw new BodyTooLargeError(`body of ${declared} bytes exceeds ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      // Stop reading; the connection is closed after the 413 so the rest is not consumed.
      req.pause();
      throw new BodyTooLargeError(`body exceeds ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** `readBody`, or null after answering 413 (and closing the connection, so the rest is never read). */
export async function readBodyOr413(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<Buffer | null> {
  try {
    return await readBody(req, limit);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    sendError(res, 413, 'payload_too_large', err.message, { headers: { connection: 'close' } });
    return null;
  }
}
