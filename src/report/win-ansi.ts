/**
 * Characters of Windows-1252 (WinAnsiEncoding) above U+00FF, the ones the PDF's built-in fonts can show
 * besides Latin-1 (PDF 32000-1, Annex D.2).
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text for pdfkit's standard 14 fonts: characters outside WinAnsiEncoding become `?` (pdfkit would
 * otherwise write the low byte of the code point, printing a wrong character), line breaks a space.
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\r' || ch === '\n' || ch === '\t') out += ' ';
    else if ((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}
