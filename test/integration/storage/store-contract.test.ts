import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Alert } from '../../../src/core/alert/alert';
import type { NewIncident, Store } from '../../../src/ports/store';
import type { Database } from '../../../integrations/storage/database';
import { KyselyStore } from '../../../integrations/storage/kysely/kysely-store';
import { openSqliteStore } from '../../../integrations/storage/sqlite/open-sqlite-store';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'itsm-store-')), 's.sqlite');

/** The generic Kysely implementation (the basis of the PostgreSQL backend) and the SQLite fast path. */
const IMPLEMENTATIONS: [string, () => Promise<Store>][] = [
  ['SqliteStore (prepared statements, group commit)', () => openSqliteStore(`sqlite:${tmp()}`)],
  [
    'KyselyStore (generic)',
    async () => {
      const s = new KyselyStore(
        new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(tmp()) }) }),
      );
      await s.migrate();
      return s;
    },
  ],
];

const alert = (dedupKey: string): Alert => ({
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

const incident = (groupKey: string): NewIncident => ({
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
  flapping: false,
  reopenCount: 0,
  previousIncidentId: null,
  tickets: {},
  acknowledged: null,
  chat: {},
});

describe.each(IMPLEMENTATIONS)('%s', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  it('accepts concurrent deliveries and hands them to correlation in order', async () => {
    const [a, b] = await Promise.all([
      store.inbox.accept([alert('k1'), alert('k2')]),
      store.inbox.accept([alert('k3')]),
    ]);
    expect([...a!, ...b!]).toHaveLength(3);
    const pending = await store.unitOfWork((uow) => uow.inbox.pending(10));
    expect(pending.map((p) => p.dedupKey)).toEqual(['k1', 'k2', 'k3']);
    expect(pending[0]!.labels).toEqual({ a: 'b' });
    expect((await store.inbox.lag()).pending).toBe(3);
  });

  it('finds incidents by group and member key, and forbids a second open incident per group', async () => {
    const inc = await store.unitOfWork(async (uow) => {
      const i = await uow.incidents.insert(incident('g1'));
      await uow.incidents.upsertMember({
        incidentId: i.id,
        dedupKey: 'k1',
        status: 'firing',
        severity: 'major',
        host: null,
        service: null,
        summary: 's',
        firstSeenAt: 'a',
        lastSeenAt: 'a',
        lastChangeAt: 'a',
        occurrences: 1,
        flapChanges: ['t1'],
      });
      return i;
    });
    await store.unitOfWork(async (uow) => {
      expect((await uow.incidents.findOpenByGroup('g1'))?.id).toBe(inc.id);
      expect(await uow.incidents.findOpenByKey('k1')).toMatchObject({
        incident: { id: inc.id },
        member: { occurrences: 1, flapChanges: ['t1'] },
      });
      await uow.incidents.update(inc.id, { state: 'resolving', resolveDueAt: 'later', firingCount: 0 });
    });
    await expect(
      store.unitOfWork((uow) => uow.incidents.insert({ ...incident('g1'), key: 'ib-other' })),
      // better-sqlite3's native part keeps the SqliteError class of the first test file that loaded it, so in
      // jest's per-file realms `instanceof Error` can fail: match the message, not the class.
    ).rejects.toHaveProperty('message', expect.stringMatching(/UNIQUE/));
    await store.unitOfWork((uow) =>
      uow.incidents.update(inc.id, { state: 'resolved', resolvedAt: '2026-11-02T09:00:00.000Z' }),
    );
    await store.unitOfWork(async (uow) => {
      expect(await uow.incidents.findOpenByGroup('g1')).toBeNull();
      expect((await uow.incidents.findLastResolved('g1'))?.id).toBe(inc.id);
      await uow.incidents.insert({ ...incident('g1'), key: 'ib-second' });
    });
  });

  it('rolls a failed unit of work back completely, audit chain included', async () => {
    await store.inbox.accept([alert('k9')]);
    await expect(
      store.unitOfWork(async (uow) => {
        const [a] = await uow.inbox.pending(1);
        await uow.inbox.markProcessed(a!.id, 'now', null, 'x');
        await uow.audit.append({ at: 'now', actor: 't', action: 'a', subject: 's', data: {} });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await store.inbox.lag()).pending).toBe(1);
    const entries = [];
    for await (const e of store.audit.entries()) entries.push(e);
    expect(entries).toHaveLength(0);
  });

  it('tracks downtimes by scope', async () => {
    await store.unitOfWork(async (uow) => {
      await uow.downtimes.set('h1!s1', {
        source: 'icinga',
        startedAt: 'now',
        author: 'op',
        comment: 'patching',
      });
      expect(await uow.downtimes.active(['h1', 'h1!s1'])).toBe('h1!s1');
      await uow.downtimes.clear('h1!s1');
      expect(await uow.downtimes.active(['h1', 'h1!s1'])).toBeNull();
    });
  });
});
