/** Unfolds (RFC 5545 §3.1) and splits into [name, value] pairs: a reader as simple as a calendar's. */
export function parseIcs(text: string): [string, string][] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean)
    .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]);
}
