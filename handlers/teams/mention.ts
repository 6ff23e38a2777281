const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  apos: "'",
};

/**
 * The command text of a Teams message: without the `<at>Bot</at>` mention, other markup Teams adds in
 * channels (`<p>`, `<br>`), HTML entities and repeated whitespace.
 */
export function commandText(text: string): string {
  return text
    .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|#39|apos);/g, (_m, name: string) => ENTITIES[name] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
