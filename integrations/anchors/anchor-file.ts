import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SignedHead } from '../../src/core/audit/signed-head';
import { firstIssue } from '../../src/core/first-issue';
import type { AuditAnchors } from '../../src/ports/audit-anchors';

/** An anchor file that cannot be read: which line, and why. */
export class AnchorFileError extends Error {}

/** Parses the anchor file's JSON Lines; a line that is not a signed head is an error naming the line. */
export function parseAnchors(text: string, file: string): SignedHead[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), no: i + 1 }))
    .filter((l) => l.line !== '')
    .map(({ line, no }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new AnchorFileError(`${file}:${no}: not JSON`);
      }
      const parsed = SignedHead.safeParse(raw);
      if (!parsed.success) throw new AnchorFileError(`${file}:${no}: ${firstIssue(parsed.error, 'anchor')}`);
      return parsed.data;
    });
}

/**
 * Signed heads as JSON Lines in a file opened for appending only; each line is synced to disk before
 * `append` resolves, so an anchor the log announced is on disk.
 */
export class AnchorFile implements AuditAnchors {
  constructor(readonly path: string) {}

  async append(head: SignedHead): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    const f = await open(this.path, 'a', 0o640);
    try {
      await f.appendFile(`${JSON.stringify(head)}\n`);
      await f.sync();
    } finally {
      await f.close();
    }
  }

  async all(): Promise<SignedHead[]> {
    return existsSync(this.path) ? parseAnchors(readFileSync(this.path, 'utf8'), this.path) : [];
  }

  async last(): Promise<SignedHead | null> {
    return (await this.all()).at(-1) ?? null;
  }
}
