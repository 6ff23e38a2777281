// `npm run bench -- sla [--tickets N]`: N generated tickets (default 100,000) with about 10 state changes
// each in a SQLite file → the full monthly SLA report; in the same run the time to merely read the same
// rows, and the ratio. Each phase runs in its own child process so that its peak RSS is its own.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildSlaReport } from '../src/app/build-sla-report';
import { SlaConfig } from '../src/config/sla';
import type { TicketHistory } from '../src/core/sla/types';
import type { TicketQuery, TicketSource } from '../src/ports/ticket-source';
import { renderHtml } from '../src/report/render-html';
import { renderJson } from '../src/report/render-json';
import { writeBenchSection } from './lib/report';

const MONTH = '2026-10';
const OPEN_FROM = Date.parse('2026-08-01T00:00:00Z');
const OPEN_SPAN = 92 * 86400_000;
const PAGE = 2_000;

type TicketRow = [
  id: number,
  number: string,
  openedAt: number,
  branch: string,
  service: string,
  category: string,
  events: string,
];
type EventTuple = [seq: number, at: number, state: string, priority: number, assignee: string];

/**
 * Reads tickets with their events in pages of ticket ids. SQLite folds each ticket's event rows into
 * one JSON array (json_group_array), which halves the read time against one JS row object per event.
 * Both phases use it, so "read only" reads the same rows the same way.
 */
function* pages(db: Database.Database): Generator<TicketRow[]> {
  const max = (db.prepare('SELECT max(id) AS m FROM tickets').get() as { m: number | null }).m ?? -1;
  const page = db
    .prepare(
      `SELECT t.id, t.number, t.opened_at, t.branch, t.service, t.category,
              (SELECT json_group_array(json_array(e.seq, e.at, e.state, e.priority, e.assignee))
                 FROM events e WHERE e.ticket_id = t.id)
         FROM tickets t WHERE t.id >= ? AND t.id < ? ORDER BY t.id`,
    )
    .raw();
  for (let from = 0; from <= max; from += PAGE) yield page.all(from, from + PAGE) as TicketRow[];
}

/** Deterministic PRNG (mulberry32), so every run measures the same data. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `count` tickets with New → Active → (waits, reassignments) → Resolved → Closed histories. */
export function generate(file: string, count: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(
    'CREATE TABLE tickets (id INTEGER PRIMARY KEY, number TEXT, opened_at INTEGER, branch TEXT, service TEXT, category TEXT);',
  );
  db.exec(
    'CREATE TABLE events (ticket_id INTEGER, seq INTEGER, at INTEGER, state TEXT, priority INTEGER, assignee TEXT, PRIMARY KEY (ticket_id, seq)) WITHOUT ROWID;',
  );
  const addTicket = db.prepare('INSERT INTO tickets VALUES (?, ?, ?, ?, ?, ?)');
  const addEvent = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)');
  const r = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const groups = Array.from({ length: 20 }, (_, i) => `Provider ${i + 1}`);
  let rows = 0;
  const insert = db.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const opened = OPEN_FROM + Math.floor(r() * OPEN_SPAN);
      const priority = r() < 0.03 ? 1 : r() < 0.12 ? 2 : r() < 0.75 ? 3 : 4;
      addTicket.run(
        id,
        `INC${String(id).padStart(8, '0')}`,
        opened,
        `Branch ${Math.floor(r() * 300)}`,
        `Service ${Math.floor(r() * 40)}`,
        `Category ${Math.floor(r() * 20)}`,
      );
      let at = opened;
      let seq = 0;
      let group = pick(groups);
      const step = (state: string, maxMinutes: number) => {
        at += Math.floor(r() * maxMinutes) * 60_000;
        addEvent.run(id, seq++, at, state, priority, group);
        rows++;
      };
      step('New', 1);
      step('Active', 240);
      for (let k = 0; k < 3; k++) {
        step(r() < 0.5 ? 'Awaiting User Info' : 'Awaiting Vendor', 600);
        if (r() < 0.5) group = pick(groups);
        step('Active', 1440);
      }
      step('Resolved', 1440);
      if (r() < 0.03) step('Active', 2880);
      step(r() < 0.03 ? 'Resolved' : 'Closed', 4320);
    }
  });
  for (let i = 0; i < count; i += 10_000) insert(i, Math.min(count, i + 10_000));
  db.close();
  return rows;
}

/** Streams the generated tables as ticket histories (rows grouped by ticket id, in id order). */
export class BenchSqliteSource implements TicketSource {
  readonly name = 'bench-sqlite';
  constructor(private readonly file: string) {}

  async *tickets(_query: TicketQuery): AsyncIterable<TicketHistory> {
    const db = new Database(this.file, { readonly: true });
    try {
      for (const rows of pages(db)) {
        for (const [id, number, openedAt, branch, service, category, json] of rows) {
          const events = (JSON.parse(json) as EventTuple[]).map(([seq, at, state, priority, assignee]) => ({
            at,
            seq,
            state,
            priority,
            assignee,
          }));
          yield { id: String(id), number, openedAt, events, branch, service, category };
        }
      }
    } finally {
      db.close();
    }
  }
}

interface PhaseResult {
  ms: number;
  maxRssMb: number;
  detail: string;
}

/** Runs one measured phase in this (child) process. */
async function phase(name: string, file: string, keepRecords: boolean): Promise<PhaseResult> {
  const t0 = performance.now();
  let detail: string;
  if (name === 'read') {
    const db = new Database(file, { readonly: true });
    let rows = 0;
    let checksum = 0;
    for (const page of pages(db)) {
      for (const t of page) {
        const events = JSON.parse(t[6]) as EventTuple[];
        rows += 1 + events.length;
        for (const ev of events) checksum += ev[1] % 7;
      }
    }
    db.close();
    detail = `${rows} rows (checksum ${checksum})`;
  } else {
    const report = await buildSlaReport({
      month: MONTH,
      config: SlaConfig.parse({}),
      source: new BenchSqliteSource(file),
      clock: { now: () => new Date() },
      keepRecords,
    });
    const built = performance.now() - t0;
    const json = renderJson(report);
    const html = renderHtml(report);
    const rendered = performance.now() - t0 - built;
    detail =
      `${report.totals.tickets} tickets in period, ${report.totals.records} SLA records, ${report.totals.breaches} breaches; ` +
      `build ${(built / 1000).toFixed(2)} s, render JSON (${(json.length / 1e6).toFixed(1)} MB) + HTML (${(html.length / 1e6).toFixed(1)} MB) ${(rendered / 1000).toFixed(2)} s`;
  }
  return { ms: performance.now() - t0, maxRssMb: process.resourceUsage().maxRSS / 1024, detail };
}

function runChild(args: string[]): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    // A larger young generation: the report allocates many short-lived objects per ticket, and the
    // default 16 MB semi-space makes the scavenger a fifth of the run time.
    const child = fork(__filename, ['--phase', ...args], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      execArgv: ['--max-semi-space-size=32'],
    });
    child.on('message', (m) => resolve(m as PhaseResult));
    child.on('exit', (code) => (code ? reject(new Error(`phase ${args[0]} exited ${code}`)) : undefined));
  });
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Entry point for bench/run.js. */
export async function main(argv: string[]): Promise<void> {
  const tickets = Number(arg(argv, '--tickets') ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-sla-'));
  const file = join(dir, 'tickets.sqlite');
  try {
    let t0 = performance.now();
    const rows = generate(file, tickets);
    const genMs = performance.now() - t0;
    console.log(`generated ${tickets} tickets, ${rows} state changes in ${(genMs / 1000).toFixed(1)} s`);
    // Records (one CSV row per ticket and SLA) are kept up to 100k tickets; above, the report is streamed
    // into aggregates only, as the million-ticket target demands.
    const keep = tickets <= 100_000 ? 'keep' : 'aggregate';
    t0 = performance.now();
    const read = await runChild(['read', file, keep]);
    const report = await runChild(['report', file, keep]);
    const ratio = report.ms / read.ms;
    const targetMs = tickets >= 1_000_000 ? 60_000 : 5_000;
    const lines = [
      `### SLA monthly report (${tickets.toLocaleString('en')} tickets, ${rows.toLocaleString('en')} state changes, SQLite)`,
      '',
      '| phase | time | peak RSS | notes |',
      '| --- | --- | --- | --- |',
      `| read the rows only | ${(read.ms / 1000).toFixed(2)} s | ${read.maxRssMb.toFixed(0)} MB | ${read.detail} |`,
      `| full monthly report (${MONTH}, JSON + HTML) | ${(report.ms / 1000).toFixed(2)} s | ${report.maxRssMb.toFixed(0)} MB | ${report.detail} |`,
      '',
      `Report / read ratio: **${ratio.toFixed(2)}**. Target ≤ ${targetMs / 1000} s and ≤ 512 MB: ${report.ms <= targetMs && report.maxRssMb <= 512 ? 'met' : '**missed**'}.` +
        (keep === 'aggregate' ? ' Per-record rows are not kept at this size (aggregates only).' : ''),
    ];
    console.log(lines.join('\n'));
    writeBenchSection(tickets >= 1_000_000 ? 'sla-1m' : 'sla', lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--phase') {
  const [, , , name, file, keep] = process.argv;
  void phase(name ?? 'read', file ?? '', keep === 'keep').then((r) => {
    process.send?.(r);
    process.disconnect?.();
  });
}
