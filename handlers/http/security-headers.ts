import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** Nothing may load, frame or post elsewhere; pages that need inline styles get their hashes added. */
const BASE_CSP = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Security headers on every response of the server (issue 12, finding 8): no framing (CSP
 * frame-ancestors and X-Frame-Options for older browsers), no MIME sniffing, no Referer with report
 * URLs, and a CSP under which no script runs. Set before routing, so every route has them.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', BASE_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
}

/**
 * The CSP for one of our HTML pages: the base policy plus the SHA-256 of each inline <style> element
 * of that page (CSP Level 2 hashes), so its own styles apply and injected ones would not; no script.
 */
export function htmlPageCsp(html: string): string {
  const hashes = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
  return hashes.length ? `${BASE_CSP}; style-src ${hashes.join(' ')}` : BASE_CSP;
}
