import { randomBytes } from 'node:crypto';

/** A fresh salt for one audit entry's content hash (128 random bits, hex). */
export const auditSalt = (): string => randomBytes(16).toString('hex');
