/**
 * Minimal inline SVG charts: no script, no external fonts or files, so the HTML stays self-contained
 * and opens offline. Every chart carries a <title> and labelled values so it is readable without colour.
 * The geometry is shared with the PDF (chart-shapes.ts).
 */
import { CHART_H, CHART_W, type Chart, type Shape } from './chart-shapes';

export const escapeXml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const title = (t: string | undefined) => (t === undefined ? '' : `<title>${escapeXml(t)}</title>`);

function svgShape(s: Shape): string {
  switch (s.kind) {
    case 'line':
      return `<line x1="${s.x1}" x2="${s.x2}" y1="${s.y1}" y2="${s.y2}" stroke="${s.stroke}"/>`;
    case 'rect':
      return `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" fill="${s.fill}">${title(s.title)}</rect>`;
    case 'text':
      return `<text x="${s.x}" y="${s.y}" font-size="${s.size}" text-anchor="${s.anchor}" fill="${s.fill}">${escapeXml(s.text)}</text>`;
    case 'polyline':
      return `<polyline fill="none" stroke="${s.stroke}" stroke-width="${s.width}" points="${s.points.map(([x, y]) => `${x},${y}`).join(' ')}"/>`;
    case 'circle':
      return `<circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="${s.fill}">${title(s.title)}</circle>`;
  }
}

/** A chart as one inline <svg> element, tagged `data-chart="<id>"`. */
export function svgChart(chart: Chart): string {
  const id = chart.id;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_W} ${CHART_H}" width="${CHART_W}" height="${CHART_H}" role="img" aria-labelledby="${id}-title" data-chart="${id}"><title id="${id}-title">${escapeXml(chart.title)}</title>${chart.shapes.map(svgShape).join('')}</svg>`;
}
