import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database';

/**
 * Rows a unit of work has written but not yet sent, flushed as one statement per table: before its
 * commit, and before any read of its own that the buffered rows could change. On PostgreSQL every
 * statement is a network round trip, and correlation wrote five to eight of them per alert; buffered,
 * a batch of alerts costs a handful of statements in all. A failed flush fails the unit of work, as the
 * single statement would have, and the whole transaction is rolled back.
 */
export class WriteBehind {
  readonly #flushers: (() => Promise<void>)[] = [];

  /** Registers a table's flush; flushes run in the order registered (no table depends on another). */
  add(flusher: () => Promise<void>): void {
    this.#flushers.push(flusher);
  }

  async flush(): Promise<void> {
    for (const f of this.#flushers) await f();
  }
}

type Table = keyof Database;

/**
 * `rows` as a relation typed like `table`'s rows, from one JSON parameter: one statement for any number
 * of rows, and every value gets its column's type (plain `VALUES` parameters would all be text).
 * `WITH ORDINALITY` keeps the rows' order, so identity ids are handed out in the order written.
 */
export const rowsOf = (table: Table, rows: readonly object[]): RawBuilder<unknown> =>
  sql`jsonb_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb) WITH ORDINALITY AS v`;

/** `INSERT INTO table (columns) SELECT … FROM rows` (in order), with an optional ON CONFLICT clause. */
export async function insertRows(
  tx: Kysely<Database>,
  table: Table,
  rows: readonly object[],
  onConflict?: { key: string[]; update: string[] },
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const conflict = onConflict
    ? sql` ON CONFLICT (${sql.join(onConflict.key.map((c) => sql.ref(c)))}) DO UPDATE SET ${sql.join(
        onConflict.update.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
      )}`
    : sql``;
  await sql`INSERT INTO ${sql.table(table)} (${list})
    SELECT ${sql.join(columns.map((c) => sql.ref(`v.${c}`)))} FROM ${rowsOf(table, rows)}
    ORDER BY v.ordinality${conflict}`.execute(tx);
}

/** `UPDATE table SET columns FROM rows WHERE id matches`: each row carries `id` and every column named. */
export async function updateRows(
  tx: Kysely<Database>,
  table: Table,
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0 || columns.length === 0) return;
  await sql`UPDATE ${sql.table(table)} AS t SET ${sql.join(
    columns.map((c) => sql`${sql.ref(c)} = ${sql.ref(`v.${c}`)}`),
  )} FROM ${rowsOf(table, rows)} WHERE t.id = v.id`.execute(tx);
}
