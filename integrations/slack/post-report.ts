import type { ReportHeadline } from '../../src/ports/chat';
import { commandResultMessage } from './presenters';
import type { SlackApi } from './slack-api';

/** A month's report as posted: the headline numbers and the two renderings. */
export interface PostedReport {
  month: string;
  headline: ReportHeadline;
  html: string;
  csv: string;
}

/**
 * Posts a month's SLA report to a Slack channel: the headline as a message (a channel name resolves to
 * its id), the HTML and CSV as files in its thread.
 */
export async function postReportToSlack(api: SlackApi, channel: string, r: PostedReport): Promise<void> {
  const ref = await api.postMessage(
    channel,
    commandResultMessage({ kind: 'report', headline: r.headline, files: [] }),
  );
  await api.uploadFiles(
    ref.channel,
    [
      { name: `sla-report-${r.month}.html`, content: Buffer.from(r.html), title: `SLA report ${r.month}` },
      {
        name: `sla-report-${r.month}.csv`,
        content: Buffer.from(r.csv),
        title: `SLA report ${r.month} (CSV)`,
      },
    ],
    undefined,
    ref.ts,
  );
}
