import { inflateSync } from 'node:zlib';

/** Windows-1252 bytes 0x80–0x9F that differ from Latin-1, for decoding the text of pdfkit's standard fonts. */
const CP1252: Record<number, string> = {
  0x80: '€',
  0x85: '…',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
};

const decodeHex = (hex: string): string =>
  (hex.match(/../g) ?? [])
    .map((b) => CP1252[parseInt(b, 16)] ?? String.fromCharCode(parseInt(b, 16)))
    .join('');

/** The content streams of a PDF, inflated where they are Flate-compressed (enough for pdfkit's output). */
export function pdfStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  const re = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    out.push(/\/FlateDecode/.test(m[1] ?? '') ? inflateSync(raw).toString('latin1') : raw.toString('latin1'));
    re.lastIndex = end;
  }
  return out;
}

/**
 * The text a PDF shows, one line per text-showing operator (`[<hex> kern …] TJ` as pdfkit writes
 * it). A small reader instead of a PDF library: the tests only need to find what was written.
 */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const s of pdfStreams(pdf)) {
    for (const m of s.matchAll(/\[([^\]]*)\]\s*TJ/g))
      lines.push([...(m[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decodeHex(h[1] ?? '')).join(''));
  }
  return lines.join('\n');
}
