/** What replaces the cut-off end of a text too long for its target. */
export const TRUNCATED_MARKER = '\n… (truncated; the full text is on the incident timeline)';

/**
 * `text` cut so that it costs at most `max` (the cost of each code point given by `cost`: 1 for
 * characters, its UTF-8 length for bytes, its escaped length for markup), with `marker` at the end when
 * anything was cut. Code points are never split. For targets that reject over-long text for good —
 * Slack's `msg_too_long` at 40,000 characters, Teams' size limit per activity — instead of retrying
 * forever.
 */
export function limitText(
  text: string,
  max: number,
  cost: (codePoint: string) => number = (c) => c.length,
  marker = TRUNCATED_MARKER,
): string {
  const total = (s: string) => {
    let n = 0;
    for (const c of s) n += cost(c);
    return n;
  };
  if (total(text) <= max) return text;
  const budget = max - total(marker);
  let used = 0;
  let end = 0;
  for (const c of text) {
    const next = used + cost(c);
    if (next > budget) break;
    used = next;
    end += c.length;
  }
  return `${text.slice(0, end)}${marker}`;
}
