import { httpUrl } from '../../src/core/alert/http-url';

/**
 * Jira Data Center wiki markup, the one escaper for text that goes into it (REST v2 descriptions and
 * comments). Alert and chat text must come out as the same text, not as links, macros, tables or
 * headings: `[x|javascript:…]`, `{html}`, `!image.png!`, `*bold*`, a leading `h1.`.
 * https://jira.atlassian.com/secure/WikiRendererHelpAction.jspa?section=all
 */

// A backslash makes the next special character literal. A literal backslash cannot be written as `\\`
// (that is a forced line break), so it becomes its HTML entity, which the renderer passes through.
const SPECIAL = /[\\*_?\-+^~{}[\]|!#]/g;
// Block markers count only at the start of a line: headings, block quotes.
const BLOCK_START = /^([ \t]*)(h[1-6]|bq)\./gm;

/** `text` as literal wiki markup text (inline and at line starts). */
export function escapeWiki(text: string): string {
  return text.replace(SPECIAL, (c) => (c === '\\' ? '&#92;' : `\\${c}`)).replace(BLOCK_START, '$1$2&#46;');
}

/**
 * `[label|url]` for an http(s) URL (its `|`, `[`, `]` percent-encoded so the link cannot end early); any
 * other URL gives the escaped label alone, never a link.
 */
export function wikiLink(label: string, url: string): string {
  const href = httpUrl(url);
  if (!href) return escapeWiki(label);
  return `[${escapeWiki(label)}|${href.replace(/[|[\]{}!\s]/g, (c) => encodeURIComponent(c))}]`;
}
