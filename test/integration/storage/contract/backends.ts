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

/** Opens a migrated store of one backend on the SQLite file at `path`. */
export type OpenBackend = (path: string) => Promise<Store>;

/**
 * The generic Kysely implementation (the basis of the PostgreSQL backend) and the SQLite fast path.
 * Both keep their data in a SQLite file, so a test can plant a corrupt row with `writeDirectly`.
 */
export const BACKENDS: [name: string, open: OpenBackend][] = [
  ['SqliteStore (prepared statements, group commit)', (path) => openSqliteStore(`sqlite:${path}`)],
  [
    'KyselyStore (generic)',
    async (path) => {
      const s = new KyselyStore(
        new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path) }) }),
      );
      await s.migrate();
      return s;
    },
  ],
];

/** The store of the running test and the file it lives in. */
export interface StoreUnderTest {
  readonly store: Store;
  readonly path: string;
}

/** A fresh store on a new file before each test of the enclosing `describe`, closed after it. */
export function freshStore(open: OpenBackend): StoreUnderTest {
  let current: { store: Store; path: string } | null = null;
  beforeEach(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'itsm-contract-')), 's.sqlite');
    current = { store: await open(path), path };
  });
  afterEach(async () => {
    await current?.store.close();
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
    get path() {
      return opened().path;
    },
  };
}

/**
 * Runs one statement on a second connection to the store's file, bypassing the store: how a row that
 * an older or newer version (or a hand edit) left behind gets there.
 */
export function writeDirectly(path: string, statement: string, ...params: unknown[]): void {
  const raw = new BetterSqlite3(path);
  try {
    raw.prepare(statement).run(...params);
  } finally {
    raw.close();
  }
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
  shadow: null,
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
