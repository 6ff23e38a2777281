import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Alert } from '../../../../src/core/alert/alert';
import type { IncidentRecord, MemberRecord, NewIncident, Store } from '../../../../src/ports/store';
import type { Database } from '../../../../integrations/storage/database';
import { KyselyStore } from '../../../../integrations/storage/kysely/kysely-store';
import { openSqliteStore } from '../../../../integrations/storage/sqlite/open-sqlite-store';
import { openPostgresStore } from '../../../../integrations/storage/postgres/open-postgres-store';
import { freshPostgresSchema, postgresWanted } from '../../../helpers/postgres';

/** SQL run on a second connection, bypassing the store (`?` placeholders on both databases). */
export interface DirectSql {
  run(statement: string, ...params: unknown[]): Promise<void>;
  all(statement: string): Promise<Record<string, unknown>[]>;
}

/** A migrated store of one backend on an empty database, how to reach its tables directly, and its end. */
export interface OpenedBackend {
  store: Store;
  direct: DirectSql;
  /** Closes the store and removes its database. */
  close(): Promise<void>;
}

/** Opens a migrated store of one backend on a new, empty database. */
export type OpenBackend = () => Promise<OpenedBackend>;

/** A direct connection to a SQLite file, opened per statement (the store keeps its own). */
const sqliteDirect = (path: string): DirectSql => ({
  async run(statement, ...params) {
    const raw = new BetterSqlite3(path);
    try {
      raw.prepare(statement).run(...params);
    } finally {
      raw.close();
    }
  },
  async all(statement) {
    const raw = new BetterSqlite3(path, { readonly: true });
    try {
      return raw.prepare(statement).all() as Record<string, unknown>[];
    } finally {
      raw.close();
    }
  },
});

const onSqliteFile = (open: (path: string) => Promise<Store>): OpenBackend => {
  return async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'itsm-contract-')), 's.sqlite');
    const store = await open(path);
    return { store, direct: sqliteDirect(path), close: () => store.close() };
  };
};

/** The PostgreSQL store on a schema of its own, dropped after the test. */
export const openPostgresBackend: OpenBackend = async () => {
  const schema = await freshPostgresSchema();
  const store = await openPostgresStore(schema.url, { schema: schema.schema, poolSize: 4 });
  return {
    store,
    direct: {
      run: async (statement, ...params) => void (await schema.query(statement, ...params)),
      all: (statement) => schema.query(statement),
    },
    async close() {
      await store.close();
      await schema.drop();
    },
  };
};

/**
 * Every backend: the SQLite fast path, the generic Kysely implementation on SQLite, and PostgreSQL
 * (the generic implementation on `pg`) when TEST_DATABASE_URL names a server (test/helpers/postgres.ts).
 */
export const BACKENDS: [name: string, open: OpenBackend][] = [
  [
    'SqliteStore (prepared statements, group commit)',
    onSqliteFile((path) => openSqliteStore(`sqlite:${path}`)),
  ],
  [
    'KyselyStore (generic)',
    onSqliteFile(async (path) => {
      const s = new KyselyStore(
        new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path) }) }),
      );
      await s.migrate();
      return s;
    }),
  ],
  ...(postgresWanted()
    ? [['PostgreSQL (KyselyStore on pg)', openPostgresBackend] as [string, OpenBackend]]
    : []),
];

/** The store of the running test and a way to its tables past it. */
export interface StoreUnderTest {
  readonly store: Store;
  readonly direct: DirectSql;
}

/** A fresh store on a new, empty database before each test of the enclosing `describe`, closed after it. */
export function freshStore(open: OpenBackend): StoreUnderTest {
  let current: OpenedBackend | null = null;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  const opened = () => {
    if (!current) throw new Error('the store exists only while a test runs');
    return current;
  };
  return {
    get store() {
      return opened().store;
    },
    get direct() {
      return opened().direct;
    },
  };
}

const START = Date.parse('2026-11-02T08:00:00.000Z');
/** A fixed instant `n` minutes after the tests' start (ISO-8601 UTC, as the store keeps times). */
export const minute = (n: number): string => new Date(START + n * 60_000).toISOString();

export const alert = (dedupKey: string): Alert => ({
  source: 'generic',
  dedupKey,
  status: 'firing',
  event: null,
  severity: 'major',
  host: 'h1',
  service: 's1',
  branch: 'muc-01',
  summary: 'x',
  description: null,
  labels: { a: 'b' },
  annotations: {},
  links: {},
  startsAt: null,
  endsAt: null,
  receivedAt: '2026-11-02T08:00:00.000Z',
});

export const incident = (groupKey: string): NewIncident => ({
  key: `ib-${groupKey}`,
  groupKey,
  state: 'open',
  title: 't',
  source: 'generic',
  severity: 'major',
  host: null,
  service: null,
  branch: 'muc-01',
  provider: 'infra',
  rule: 'default',
  impact: 3,
  urgency: 2,
  priority: 4,
  runbookId: null,
  openedAt: '2026-11-02T08:00:00.000Z',
  updatedAt: '2026-11-02T08:00:00.000Z',
  lastAlertAt: '2026-11-02T08:00:00.000Z',
  resolveDueAt: null,
  resolvedAt: null,
  firingCount: 1,
  alertCount: 1,
  memberCount: 1,
  flapping: false,
  flappingReported: false,
  reopenCount: 0,
  previousIncidentId: null,
  tickets: {},
  acknowledged: null,
  chat: {},
});

export const member = (incidentId: number, dedupKey: string): MemberRecord => ({
  incidentId,
  dedupKey,
  status: 'firing',
  severity: 'major',
  host: 'h1',
  service: 's1',
  summary: `${dedupKey} is down`,
  firstSeenAt: minute(0),
  lastSeenAt: minute(0),
  lastChangeAt: minute(0),
  occurrences: 1,
  flapChanges: [],
});

/** Inserts incidents (in order, one unit of work) and returns them as stored. */
export function insertIncidents(store: Store, ...incidents: NewIncident[]): Promise<IncidentRecord[]> {
  return store.unitOfWork(async (uow) => {
    const stored: IncidentRecord[] = [];
    for (const i of incidents) stored.push(await uow.incidents.insert(i));
    return stored;
  });
}
