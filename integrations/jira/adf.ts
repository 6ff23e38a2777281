import { httpUrl } from '../../src/core/alert/http-url';
import type { TicketDraft } from '../../src/ports/ticket-system';
import type { OmittedAlerts } from '../../src/core/ticket-text/fit-description';
import { escapeWiki, wikiLink } from './wiki-markup';

/**
 * Atlassian Document Format builders for Jira Cloud (v3 rich-text fields take ADF only).
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
export type AdfNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
};
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export const doc = (...content: AdfNode[]): AdfDoc => ({ type: 'doc', version: 1, content });

/** Text node; ADF forbids empty text nodes, so empty strings become a dash. */
export const text = (t: string, marks?: AdfNode['marks']): AdfNode => ({
  type: 'text',
  text: t === '' ? '-' : t,
  ...(marks ? { marks } : {}),
});
/** A link mark only for an http(s) URL; anything else (`javascript:`, `data:`) stays plain text. */
export const link = (t: string, href: string): AdfNode => {
  const url = httpUrl(href);
  return url ? text(t, [{ type: 'link', attrs: { href: url } }]) : text(t);
};
export const paragraph = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
export const heading = (level: number, t: string): AdfNode => ({
  type: 'heading',
  attrs: { level },
  content: [text(t)],
});

/** Plain text with line breaks → paragraphs (one per blank-line-separated block, hardBreaks inside). */
export function paragraphs(t: string): AdfNode[] {
  return t
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== '')
    .map((block) =>
      paragraph(
        ...block
          .split('\n')
          .flatMap((line, i) => (i === 0 ? [text(line)] : [{ type: 'hardBreak' }, text(line)])),
      ),
    );
}

function table(header: string[], rows: string[][]): AdfNode {
  const cell = (type: string, t: string): AdfNode => ({ type, content: [paragraph(text(t))] });
  return {
    type: 'table',
    attrs: { isNumberColumnEnabled: false, layout: 'default' },
    content: [
      { type: 'tableRow', content: header.map((h) => cell('tableHeader', h)) },
      ...rows.map((r) => ({ type: 'tableRow', content: r.map((c) => cell('tableCell', c)) })),
    ],
  };
}

/** Runbook steps as a Jira action list (taskList); `localId`s are required by the schema. */
export function taskList(idPrefix: string, steps: string[]): AdfNode {
  return {
    type: 'taskList',
    attrs: { localId: `${idPrefix}-list` },
    content: steps.map((s, i) => ({
      type: 'taskItem',
      attrs: { localId: `${idPrefix}-${i + 1}`, state: 'TODO' },
      content: [text(s)],
    })),
  };
}

/** "… and K more alerts (N in total)" with where to find them all. */
const omittedLine = (o: OmittedAlerts): string =>
  `… and ${o.count} more alerts (${o.total} in total), all listed in `;
const bridgeLink = (draft: TicketDraft) => `itsm-bridge incident ${draft.incidentId}`;

/**
 * The issue description: summary, alert table, runbook checklist, links (the peer ticket among them), and
 * a line for the alerts left out (see fit-description.ts).
 */
export function issueDescription(draft: TicketDraft, omitted: OmittedAlerts | null = null): AdfDoc {
  const content: AdfNode[] = [...paragraphs(draft.description)];
  if (draft.alerts.length > 0 || omitted) content.push(heading(3, 'Alerts'));
  if (draft.alerts.length > 0) {
    content.push(
      table(
        ['Status', 'Severity', 'Host', 'Service', 'Summary', 'Since'],
        draft.alerts.map((a) => [
          a.status,
          a.severity,
          a.host ?? '-',
          a.service ?? '-',
          a.summary,
          a.startsAt ?? '-',
        ]),
      ),
    );
  }
  if (omitted) {
    const where = omitted.url ? link(bridgeLink(draft), omitted.url) : text(bridgeLink(draft));
    content.push(paragraph(text(omittedLine(omitted)), where));
  }
  if (draft.runbook) {
    content.push(heading(3, `Runbook: ${draft.runbook.title}`));
    content.push(taskList(draft.runbook.id, draft.runbook.steps));
  }
  const links = draft.links;
  if (links.length > 0) {
    content.push(heading(3, 'Links'));
    content.push({
      type: 'bulletList',
      content: links.map((l) => ({ type: 'listItem', content: [paragraph(link(l.label, l.url))] })),
    });
  }
  content.push(paragraph(text(`itsm-bridge incident ${draft.incidentId}`, [{ type: 'em' }])));
  return doc(...content);
}

/** The same content as Jira wiki markup, for Data Center (REST v2 takes strings). */
export function issueDescriptionWiki(draft: TicketDraft, omitted: OmittedAlerts | null = null): string {
  const esc = escapeWiki;
  const parts = [esc(draft.description)];
  if (draft.alerts.length > 0 || omitted) parts.push('h3. Alerts');
  if (draft.alerts.length > 0) {
    parts.push(
      [
        '||Status||Severity||Host||Service||Summary||Since||',
        ...draft.alerts.map(
          (a) =>
            `|${[a.status, a.severity, a.host ?? '-', a.service ?? '-', a.summary, a.startsAt ?? '-'].map(esc).join('|')}|`,
        ),
      ].join('\n'),
    );
  }
  if (omitted) {
    const where = omitted.url ? `[${esc(bridgeLink(draft))}|${omitted.url}]` : esc(bridgeLink(draft));
    parts.push(`${esc(omittedLine(omitted))}${where}`);
  }
  if (draft.runbook)
    parts.push(
      `h3. Runbook: ${esc(draft.runbook.title)}`,
      draft.runbook.steps.map((s) => `* (x) ${esc(s)}`).join('\n'),
    );
  const links = draft.links;
  if (links.length > 0) parts.push('h3. Links', links.map((l) => `* ${wikiLink(l.label, l.url)}`).join('\n'));
  parts.push(`_itsm-bridge incident ${draft.incidentId}_`);
  return parts.join('\n\n');
}
