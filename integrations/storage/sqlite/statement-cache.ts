import type BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { Database } from '../database';

/** A stored row of one table, as better-sqlite3 returns it. */
export type Row<T extends keyof Database> = Selectable<Database[T]>;

/** `@a, @b, …`: the named parameters for these columns. */
export const named = (cols: readonly string[]) => cols.map((c) => `@${c}`).join(', ');

/** Prepared statements are compiled once per connection; SQLite then only binds and steps. */
export class StatementCache {
  #cache = new Map<string, BetterSqlite3.Statement>();
  constructor(private readonly db: BetterSqlite3.Database) {}

  /** The statement for `sql`; `R` is the shape of its result rows (the SQL decides it, not a check). */
  get<R = unknown>(sql: string): BetterSqlite3.Statement<unknown[], R> {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#cache.set(sql, s);
    }
    // better-sqlite3 types rows as `unknown`; the caller's SQL (a SELECT * of one table, say) fixes R.
    return s as BetterSqlite3.Statement<unknown[], R>;
  }
}
