import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import type { TicketEvent, TicketHistory } from '../core/sla/types';
import type { TicketQuery, TicketSource } from '../ports/ticket-source';
import { bool, cell, exportDate, priorityNumber } from './servicenow-values';

/** Options of the CSV source. */
export interface CsvTicketSourceOptions {
  file: string;
  /**
   * Zone of the wall-clock times in the export. ServiceNow stores UTC but exports in the exporting
   * user's zone, which the file does not record; default UTC (see docs/sla-report.md).
   */
  timeZone?: string;
  /** Called for each row that cannot be used (missing number or dates). */
  onSkippedRow?: (line: number, reason: string) => void;
}

interface Draft {
  ticket: TicketHistory;
  lastKey: [number, number];
}

type Row = Record<string, string>;

/**
 * A ServiceNow incident audit export (one row per update, columns as in the UCI "Incident management
 * process enriched event log": number, incident_state, sys_mod_count, sys_updated_at, opened_at,
 * priority, assignment_group, location, category, cmdb_ci, made_sla, …). Each row becomes one update;
 * rows are grouped per incident, so the file is read fully before the first ticket is yielded.
 */
export class CsvTicketSource implements TicketSource {
  readonly name = 'csv';

  constructor(private readonly options: CsvTicketSourceOptions) {}

  async *tickets(query: TicketQuery): AsyncIterable<TicketHistory> {
    const tz = this.options.timeZone ?? 'UTC';
    const total = statSync(this.options.file).size;
    const stream = createReadStream(this.options.file);
    const parser = stream.pipe(parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }));
    const drafts = new Map<string, Draft>();
    let line = 1;
    for await (const row of parser as AsyncIterable<Row>) {
      line++;
      const number = cell(row.number);
      const at = exportDate(row.sys_updated_at, tz);
      const openedAt = exportDate(row.opened_at, tz) ?? exportDate(row.sys_created_at, tz);
      if (!number || at === null || openedAt === null) {
        this.options.onSkippedRow?.(line, !number ? 'no number' : 'no sys_updated_at/opened_at date');
        continue;
      }
      const modCount = cell(row.sys_mod_count);
      const version = modCount !== null && /^\d+$/.test(modCount) ? Number(modCount) : undefined;
      const seq = version ?? 0;
      const madeSla = bool(row.made_sla);
      const event: TicketEvent = {
        at,
        seq,
        ...(version !== undefined ? { version } : {}),
        ref: `line ${line}`,
        state: cell(row.incident_state) ?? 'New',
        priority: priorityNumber(row.priority),
        assignee: cell(row.assignment_group),
        // Per update, so a report reads the value as of its month end, not the newest of the file.
        ...(madeSla !== null ? { externalMadeSla: madeSla } : {}),
      };
      let draft = drafts.get(number);
      if (!draft) {
        draft = { ticket: { id: number, number, openedAt, events: [] }, lastKey: [-Infinity, -Infinity] };
        drafts.set(number, draft);
        if (drafts.size % 500 === 0)
          query.onProgress?.({ tickets: drafts.size, done: stream.bytesRead, total });
      }
      draft.ticket.events.push(event);
      // Attributes are taken from the latest update (by time, then sys_mod_count).
      if (at > draft.lastKey[0] || (at === draft.lastKey[0] && seq >= draft.lastKey[1])) {
        draft.lastKey = [at, seq];
        Object.assign(draft.ticket, {
          branch: cell(row.location),
          service: cell(row.cmdb_ci),
          category: cell(row.category),
        });
      }
    }
    query.onProgress?.({ tickets: drafts.size, done: total, total });
    for (const d of drafts.values()) yield d.ticket;
  }
}
