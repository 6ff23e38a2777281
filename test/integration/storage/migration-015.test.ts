import { openPostgresSharedLimits } from '../../../integrations/limits/postgres-shared-limits';
import { openPostgresStore } from '../../../integrations/storage/postgres/open-postgres-store';
import { freshPostgresSchema, postgresWanted, type TestSchema } from '../../helpers/postgres';

/** The tables as the shared limits created them at start before migration 015 (the shipped DDL). */
const OLD_TABLES = `
CREATE TABLE IF NOT EXISTS itsm_limit_slots (
  scope text NOT NULL, slot integer NOT NULL, holder text,
  lease_until_ms double precision NOT NULL DEFAULT 0, PRIMARY KEY (scope, slot));
CREATE TABLE IF NOT EXISTS itsm_limit_rates (scope text PRIMARY KEY, tat_ms double precision NOT NULL);
CREATE TABLE IF NOT EXISTS itsm_limit_pauses (scope text PRIMARY KEY, until_ms double precision NOT NULL);`;

const scopedUrl = (s: TestSchema) => {
  const url = new URL(s.url);
  url.searchParams.set('options', `-c search_path=${s.schema}`);
  return url.toString();
};

(postgresWanted() ? describe : describe.skip)('migration 015 (the shared-limit tables)', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await freshPostgresSchema();
  });
  afterEach(() => schema.drop());

  it('migrates a database whose limits created the tables at start, keeping their rows', async () => {
    for (const statement of OLD_TABLES.split(';').filter((s) => s.trim())) await schema.query(statement);
    await schema.query(
      `INSERT INTO itsm_limit_pauses (scope, until_ms) VALUES ('jira', (extract(epoch from clock_timestamp()) * 1000 + 600000)::float8)`,
    );
    const store = await openPostgresStore(scopedUrl(schema), { poolSize: 1 });
    await store.close();
    const limits = await openPostgresSharedLimits(scopedUrl(schema));
    try {
      expect(await limits.pauseLeft('jira')).toBeGreaterThan(590_000);
      expect(await limits.tryAcquire('servicenow', 4, 30_000)).not.toBeNull();
    } finally {
      await limits.close();
    }
  });

  it('creates them on a new database, and the limits refuse to open on one that was never migrated', async () => {
    await expect(openPostgresSharedLimits(scopedUrl(schema))).rejects.toThrow(
      'the shared-limit tables are missing: open the store first (its migrations create them)',
    );
    const store = await openPostgresStore(scopedUrl(schema), { poolSize: 1 });
    await store.close();
    const tables = await schema.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name LIKE 'itsm_limit_%' ORDER BY 1`,
      schema.schema,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'itsm_limit_pauses',
      'itsm_limit_rates',
      'itsm_limit_slots',
    ]);
  });
});
