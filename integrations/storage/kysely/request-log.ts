import type { Kysely } from 'kysely';
import type { RequestLog } from '../../../src/ports/request-log';
import type { Database } from '../database';

/** Handled request keys in `chat_seen`; old keys are swept now and then on insert. */
export class KyselyRequestLog implements RequestLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** Decides when an insert also sweeps forgotten keys (about 1 in 100). */
    private readonly sweep: () => boolean = () => Math.random() < 0.01,
  ) {}

  async firstSeen(key: string, at: string, forgetBefore: string) {
    const inserted = await this.db
      .insertInto('chat_seen')
      .values({ key, at })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (this.sweep()) await this.db.deleteFrom('chat_seen').where('at', '<', forgetBefore).execute();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async hasSeen(key: string) {
    return !!(await this.db.selectFrom('chat_seen').select('key').where('key', '=', key).executeTakeFirst());
  }
}
