import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Secret } from '../../src/config/secret';

/** Constant-time string comparison that does not leak the length through an early exit on content. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab); // same work either way
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** `Authorization: Bearer <token>` matches the configured secret. */
export function bearerMatches(req: IncomingMessage, token: Secret | undefined): boolean {
  if (!token) return false;
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  return !!m && safeEqual(m[1]!.trim(), token.reveal());
}

/**
 * Grafana's optional HMAC (grafana/alerting http/hmac.go): lowercase hex HMAC-SHA256 of the raw body, or
 * of "<unix seconds>:<body>" when a timestamp header is configured, which must then be fresh.
 */
export function grafanaSignatureValid(
  req: IncomingMessage,
  body: Buffer,
  cfg: { secret: Secret; header: string; timestampHeader?: string; tolerance: number },
  nowMs: number,
): { ok: true } | { ok: false; reason: string } {
  const sig = req.headers[cfg.header.toLowerCase()];
  if (typeof sig !== 'string' || sig === '') return { ok: false, reason: `missing ${cfg.header} header` };
  const mac = createHmac('sha256', cfg.secret.reveal());
  if (cfg.timestampHeader) {
    const ts = req.headers[cfg.timestampHeader.toLowerCase()];
    if (typeof ts !== 'string' || !/^\d+$/.test(ts))
      return { ok: false, reason: `missing or malformed ${cfg.timestampHeader} header` };
    if (Math.abs(nowMs / 1000 - Number(ts)) > cfg.tolerance)
      return { ok: false, reason: 'signature timestamp outside the allowed window' };
    mac.update(`${ts}:`);
  }
  mac.update(body);
  return safeEqual(sig.toLowerCase(), mac.digest('hex'))
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}
