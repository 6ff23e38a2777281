import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001-initial';

/** Versioned migrations, applied in name order by Kysely's Migrator; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
