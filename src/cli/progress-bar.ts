import type { SourceProgress } from '../ports/ticket-source';

/**
 * A progress indicator on stderr for long imports: a redrawn bar on a terminal, a line every few
 * seconds otherwise (CI logs should not fill with carriage returns).
 */
export function progressBar(
  stream: NodeJS.WriteStream,
  now: () => number = Date.now,
): {
  update: (p: SourceProgress) => void;
  done: () => void;
} {
  let last = 0;
  let drawn = false;
  const render = (p: SourceProgress): string => {
    if (p.total && p.done !== undefined) {
      const ratio = Math.min(1, p.done / p.total);
      const width = 30;
      const filled = Math.round(ratio * width);
      return `importing [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0)}% · ${p.tickets} tickets`;
    }
    return `importing · ${p.tickets} tickets`;
  };
  return {
    update(p) {
      const t = now();
      if (stream.isTTY) {
        if (t - last < 100) return;
        stream.write(`\r${render(p)}`);
        drawn = true;
      } else {
        if (t - last < 2000 && last !== 0) return;
        stream.write(`${render(p)}\n`);
      }
      last = t;
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
