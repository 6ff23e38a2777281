import type { Kysely, RawBuilder } from 'kysely';
import type { LeaderLease } from '../../../src/ports/leader-lease';
import type { Database } from '../database';

/** An ISO time (`…T…Z`, milliseconds): a value, or the database's clock read in the statement. */
export type LeaseTime = string | RawBuilder<string>;

/**
 * Takes or renews the lease row `name` for `holder` in one statement: free, expired or already ours →
 * ours until `until` (the term counts up when the holder changes); held by another and not expired →
 * unchanged. True when `holder` now holds it. `now` and `until` come from the one clock that judges
 * the lease (ISO strings of one width compare as times).
 */
export async function holdLeaseRow(
  db: Kysely<Database>,
  lease: { name: string; holder: string },
  now: LeaseTime,
  until: LeaseTime,
): Promise<boolean> {
  const row = await db
    .insertInto('leases')
    .values({ name: lease.name, holder: lease.holder, until, term: 1 })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet((eb) => ({
          holder: eb.ref('excluded.holder'),
          until: eb.ref('excluded.until'),
          term: eb
            .case()
            .when('leases.holder', '=', eb.ref('excluded.holder'))
            .then(eb.ref('leases.term'))
            .else(eb('leases.term', '+', 1))
            .end(),
        }))
        .where((eb) => eb.or([eb('leases.holder', '=', lease.holder), eb('leases.until', '<=', now)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === lease.holder;
}

/** Gives the lease row up if `holder` has it. */
export async function releaseLeaseRow(db: Kysely<Database>, lease: { name: string; holder: string }) {
  await db.deleteFrom('leases').where('name', '=', lease.name).where('holder', '=', lease.holder).execute();
}

/**
 * A leader lease on the row alone: correct for SQLite, where every process shares one file and the
 * statement runs in one write transaction.
 */
export class LeaseRow implements LeaderLease {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly lease: { name: string; holder: string },
  ) {}

  hold(now: string, until: string) {
    return holdLeaseRow(this.db, this.lease, now, until);
  }

  async endsIn(now: string) {
    const row = await this.db
      .selectFrom('leases')
      .select('until')
      .where('name', '=', this.lease.name)
      .executeTakeFirst();
    return row ? Math.max(0, Date.parse(row.until) - Date.parse(now)) : 0;
  }

  release() {
    return releaseLeaseRow(this.db, this.lease);
  }
}
