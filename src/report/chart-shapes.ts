/**
 * Chart geometry shared by the HTML report (inline SVG) and the PDF (pdfkit's vector API): both draw
 * the same shapes at the same coordinates, so the PDF shows the bars and lines the page shows.
 * Coordinates are in a W × H box, y downwards.
 */

export const CHART_W = 560;
export const CHART_H = 220;
const PAD = { left: 44, right: 12, top: 16, bottom: 40 };

export interface Series {
  name: string;
  color: string;
  /** One value per label; null leaves a gap. */
  values: (number | null)[];
}

/** One drawing primitive; `title` is the value read out for screen readers (SVG) and not drawn. */
export type Shape =
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: string }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string; title?: string }
  | {
      kind: 'text';
      x: number;
      y: number;
      text: string;
      size: number;
      anchor: 'start' | 'middle' | 'end';
      fill: string;
    }
  | { kind: 'polyline'; points: [number, number][]; stroke: string; width: number }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: string; title: string };

/** A titled chart as shapes. */
export interface Chart {
  id: string;
  title: string;
  shapes: Shape[];
}

/** Rounds an axis maximum up to 1, 2, 4, 5 or 10 × a power of ten so the gridlines get round labels. */
function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  const m = [1, 2, 4, 5, 10].find((k) => k * p >= v) ?? 10;
  return m * p;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const plotW = CHART_W - PAD.left - PAD.right;
const plotH = CHART_H - PAD.top - PAD.bottom;
const xLabelY = CHART_H - PAD.bottom + 14;

function yAxis(max: number, unit: string): Shape[] {
  return [0, 0.25, 0.5, 0.75, 1].flatMap((f): Shape[] => {
    const y = round1(PAD.top + (1 - f) * plotH);
    return [
      { kind: 'line', x1: PAD.left, x2: CHART_W - PAD.right, y1: y, y2: y, stroke: '#ddd' },
      {
        kind: 'text',
        x: PAD.left - 6,
        y: round1(y + 4),
        text: `${Number((max * f).toFixed(2))}${unit}`,
        size: 10,
        anchor: 'end',
        fill: '#555',
      },
    ];
  });
}

/** Vertical bars, one per label, with the value above each bar. */
export function barChartShapes(
  id: string,
  title: string,
  labels: string[],
  values: number[],
  color = '#2f6fb0',
): Chart {
  const max = niceMax(Math.max(1, ...values));
  const slot = plotW / Math.max(1, labels.length);
  const bars = labels.flatMap((label, i): Shape[] => {
    const v = values[i] ?? 0;
    const h = round1((v / max) * plotH);
    const x = round1(PAD.left + i * slot + slot * 0.15);
    const y = round1(PAD.top + plotH - h);
    const mid = round1(x + slot * 0.35);
    return [
      { kind: 'rect', x, y, w: round1(slot * 0.7), h, fill: color, title: `${label}: ${v}` },
      {
        kind: 'text',
        x: mid,
        y: round1(y - 3),
        text: String(v),
        size: 10,
        anchor: 'middle',
        fill: '#1d2430',
      },
      { kind: 'text', x: mid, y: xLabelY, text: label, size: 10, anchor: 'middle', fill: '#1d2430' },
    ];
  });
  return { id, title, shapes: [...yAxis(max, ''), ...bars] };
}

/** Lines over labels (months), 0..100 %, with a legend. */
export function percentLineChartShapes(id: string, title: string, labels: string[], series: Series[]): Chart {
  // Points sit in the middle of equal slots, like bars, so the outer month labels are not cut off.
  const x = (i: number) => round1(PAD.left + ((i + 0.5) / Math.max(1, labels.length)) * plotW);
  const y = (v: number) => round1(PAD.top + (1 - v / 100) * plotH);
  const xLabels = labels.map((text, i): Shape => ({
    kind: 'text',
    x: x(i),
    y: xLabelY,
    text,
    size: 10,
    anchor: 'middle',
    fill: '#1d2430',
  }));
  const lines = series.flatMap((s): Shape[] => {
    const points = s.values.flatMap((v, i): [number, number][] => (v === null ? [] : [[x(i), y(v)]]));
    const dots = s.values.flatMap((v, i): Shape[] =>
      v === null
        ? []
        : [
            {
              kind: 'circle',
              cx: x(i),
              cy: y(v),
              r: 3,
              fill: s.color,
              title: `${s.name} ${labels[i]}: ${v.toFixed(1)} %`,
            },
          ],
    );
    return [{ kind: 'polyline', points, stroke: s.color, width: 2 }, ...dots];
  });
  const legend = series.flatMap((s, i): Shape[] => [
    { kind: 'rect', x: PAD.left + i * 150, y: CHART_H - 14, w: 10, h: 10, fill: s.color },
    {
      kind: 'text',
      x: PAD.left + i * 150 + 14,
      y: CHART_H - 5,
      text: s.name,
      size: 11,
      anchor: 'start',
      fill: '#1d2430',
    },
  ]);
  return { id, title, shapes: [...yAxis(100, '%'), ...xLabels, ...lines, ...legend] };
}
