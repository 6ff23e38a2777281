import type { SlaReport } from '../core/sla/report-model';
import { barChartShapes, percentLineChartShapes, type Chart } from './chart-shapes';

/** A chart of the report with the caption shown above it. */
export interface ReportChart {
  caption: string;
  chart: Chart;
}

/** The report's charts (compliance trend, volume by priority, MTTR distribution), for HTML and PDF alike. */
export function reportCharts(r: SlaReport): ReportChart[] {
  const months = r.trend.map((t) => t.month);
  return [
    {
      caption: 'Compliance trend',
      chart: percentLineChartShapes(
        'compliance-trend',
        'Compliance per month (response, resolution)',
        months,
        [
          { name: 'Response', color: '#2f6fb0', values: r.trend.map((t) => t.responsePercent) },
          { name: 'Resolution', color: '#d9822b', values: r.trend.map((t) => t.resolutionPercent) },
        ],
      ),
    },
    {
      caption: 'Volume by priority',
      chart: barChartShapes(
        'volume-by-priority',
        'Tickets by priority',
        r.volumes.byPriority.map((c) => c.key),
        r.volumes.byPriority.map((c) => c.count),
      ),
    },
    {
      caption: 'MTTR distribution',
      chart: barChartShapes(
        'mttr-distribution',
        'Resolved SLA cycles by calendar time to resolve',
        r.mttrDistribution.map((c) => c.key),
        r.mttrDistribution.map((c) => c.count),
        '#4c956c',
      ),
    },
  ];
}
