import type { TicketHistory } from '../core/sla/types';

/** Progress of a long import, reported to the CLI's progress bar. */
export interface SourceProgress {
  tickets: number;
  /** Bytes or rows read so far and in total, when the source knows them. */
  done?: number;
  total?: number;
}

/** Which tickets the report needs; sources may return more (the engine filters), never fewer. */
export interface TicketQuery {
  /** Earliest instant of interest (start of the oldest trend month). */
  from: Date;
  /** End of the report month; history after it is ignored by the engine. */
  to: Date;
  onProgress?: (progress: SourceProgress) => void;
}

/**
 * Where ticket histories come from (our store, ServiceNow, a CSV export). Async iterable so that a
 * million tickets stream through the report without being held in memory; every ticket relevant to the
 * query must be yielded exactly once, with all its updates up to `to`.
 */
export interface TicketSource {
  readonly name: string;
  tickets(query: TicketQuery): AsyncIterable<TicketHistory>;
}
