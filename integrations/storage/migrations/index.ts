import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001-initial';
import * as m002 from './002-outbox';
import * as m003 from './003-chat';
import * as m004 from './004-handoffs';
import * as m005 from './005-audit-content-hash';

/** Versioned migrations, applied in name order by Kysely's Migrator; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-outbox': m002,
  '003-chat': m003,
  '004-handoffs': m004,
  '005-audit-content-hash': m005,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
