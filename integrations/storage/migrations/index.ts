import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001-initial';
import * as m002 from './002-outbox';
import * as m003 from './003-chat';
import * as m004 from './004-handoffs';
import * as m005 from './005-escalations';
import * as m006 from './006-flapping-and-members';
import * as m007 from './007-shift-handovers';
import * as m008 from './008-request-ids';
import * as m009 from './009-shared-labels';
import * as m010 from './010-audit-content-hash';
import * as m011 from './011-shadow-provider';
import * as m012 from './012-servicenow-poll';
import * as m013 from './013-sync-ledger';
import * as m014 from './014-outbox-leases';
import * as m015 from './015-shared-limits';

/** Versioned migrations, applied in name order by Kysely's Migrator; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-outbox': m002,
  '003-chat': m003,
  '004-handoffs': m004,
  '005-escalations': m005,
  '006-flapping-and-members': m006,
  '007-shift-handovers': m007,
  '008-request-ids': m008,
  '009-shared-labels': m009,
  '010-audit-content-hash': m010,
  '011-shadow-provider': m011,
  '012-servicenow-poll': m012,
  '013-sync-ledger': m013,
  '014-outbox-leases': m014,
  '015-shared-limits': m015,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
