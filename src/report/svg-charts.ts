/**
 * Minimal inline SVG charts: no script, no external fonts or files, so the HTML stays self-contained,
 * prints to PDF unchanged and opens offline. Every chart carries a <title> and labelled values so it is
 * readable without colour.
 */

export interface Series {
  name: string;
  color: string;
  /** One value per label; null leaves a gap. */
  values: (number | null)[];
}

const W = 560;
const H = 220;
const PAD = { left: 44, right: 12, top: 16, bottom: 40 };

export const escapeXml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Rounds an axis maximum up to 1, 2, 4, 5 or 10 × a power of ten so the gridlines get round labels. */
function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  const m = [1, 2, 4, 5, 10].find((k) => k * p >= v) ?? 10;
  return m * p;
}

function frame(title: string, body: string, id: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title" data-chart="${id}"><title id="${id}-title">${escapeXml(title)}</title>${body}</svg>`;
}

function yAxis(max: number, unit: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return ticks
    .map((f) => {
      const y = PAD.top + (1 - f) * (H - PAD.top - PAD.bottom);
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${(y + 4).toFixed(1)}" font-size="10" text-anchor="end" fill="#555">${Number((max * f).toFixed(2))}${unit}</text>`;
    })
    .join('');
}

/** Vertical bars, one per label, with the value above each bar. */
export function barChart(
  id: string,
  title: string,
  labels: string[],
  values: number[],
  color = '#2f6fb0',
): string {
  const max = niceMax(Math.max(1, ...values));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, labels.length);
  const bars = labels
    .map((label, i) => {
      const v = values[i] ?? 0;
      const h = (v / max) * plotH;
      const x = PAD.left + i * slot + slot * 0.15;
      const y = PAD.top + plotH - h;
      return `<g class="bar"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${escapeXml(label)}: ${v}</title></rect><text x="${(x + slot * 0.35).toFixed(1)}" y="${(y - 3).toFixed(1)}" font-size="10" text-anchor="middle">${v}</text><text x="${(x + slot * 0.35).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${escapeXml(label)}</text></g>`;
    })
    .join('');
  return frame(title, yAxis(max, '') + bars, id);
}

/** Lines over labels (months), 0..100 %, with a legend. */
export function percentLineChart(id: string, title: string, labels: string[], series: Series[]): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  // Points sit in the middle of equal slots, like bars, so the outer month labels are not cut off.
  const x = (i: number) => PAD.left + ((i + 0.5) / Math.max(1, labels.length)) * plotW;
  const y = (v: number) => PAD.top + (1 - v / 100) * plotH;
  const xLabels = labels
    .map(
      (l, i) =>
        `<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${escapeXml(l)}</text>`,
    )
    .join('');
  const lines = series
    .map((s) => {
      const pts = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
      const path = pts.filter((p): p is string => p !== null).join(' ');
      const dots = s.values
        .map((v, i) =>
          v === null
            ? ''
            : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeXml(`${s.name} ${labels[i]}: ${v.toFixed(1)} %`)}</title></circle>`,
        )
        .join('');
      return `<g class="series" data-series="${escapeXml(s.name)}"><polyline fill="none" stroke="${s.color}" stroke-width="2" points="${path}"/>${dots}</g>`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${PAD.left + i * 150}" y="${H - 14}" width="10" height="10" fill="${s.color}"/><text x="${PAD.left + i * 150 + 14}" y="${H - 5}" font-size="11">${escapeXml(s.name)}</text>`,
    )
    .join('');
  return frame(title, yAxis(100, '%') + xLabels + lines + legend, id);
}
