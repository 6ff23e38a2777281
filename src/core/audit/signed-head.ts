import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ChainHead } from './audit-hash';

/**
 * A chain head signed with the audit signing key (HMAC-SHA256), written outside the database. Whoever
 * can write the database can recompute every hash of the chain, but not these signatures: a rewritten
 * chain no longer matches the heads anchored before the rewrite.
 */
export const SignedHead = z.strictObject({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  alg: z.literal('HMAC-SHA256'),
  sig: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SignedHead = z.infer<typeof SignedHead>;

// A fixed prefix, so a signature over a head can never be passed off as one over anything else.
const message = (h: ChainHead, at: string) =>
  ['itsm-bridge audit head v1', String(h.seq), h.hash, at].join('\u001f');

const mac = (key: string, h: ChainHead, at: string) =>
  createHmac('sha256', key).update(message(h, at)).digest('hex');

/** Signs the head as of `at` with the key. */
export function signHead(head: ChainHead, at: string, key: string): SignedHead {
  return { seq: head.seq, hash: head.hash, at, alg: 'HMAC-SHA256', sig: mac(key, head, at) };
}

/** Whether the signature was made with this key over exactly this seq, hash and time (constant time). */
export function headSignatureValid(a: SignedHead, key: string): boolean {
  return timingSafeEqual(Buffer.from(mac(key, a, a.at), 'hex'), Buffer.from(a.sig, 'hex'));
}
