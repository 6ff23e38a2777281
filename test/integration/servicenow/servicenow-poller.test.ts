import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceNowConfig } from '../../../src/config/servicenow';
import type { Store } from '../../../src/ports/store';
import { SERVICENOW_SYNCED_COLUMNS } from '../../../src/ports/servicenow-sync';
import type { Logger } from '../../../src/ports/logger';
import { wireServiceNowSync } from '../../../src/composition/wire-servicenow-sync';
import { openSqliteStore } from '../../../integrations/storage/sqlite/open-sqlite-store';
import {
  createServiceNowEmulator,
  type ServiceNowEmulator,
} from '../../../integrations/sandbox/servicenow/emulator';
import { sandboxServiceNowAuth } from '../../../integrations/sandbox/sandbox-auth';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import type { ServiceNowPoller } from '../../../integrations/servicenow/servicenow-poller';
import { ManualClock } from '../../helpers/test-app';
import { recordingSink, type RecordingSink } from '../../helpers/recording-sink';
import { snTable, SN_PERSON as HUMAN } from '../../helpers/servicenow-table';

/** The poller against the emulator over HTTP, its state in a SQLite file, the clock moved by hand. */
describe('ServiceNow poller', () => {
  let clock: ManualClock;
  let emulator: ServiceNowEmulator;
  let server: { url: string; close(): Promise<void> };
  let store: Store;
  let sink: RecordingSink;
  let poller: ServiceNowPoller;
  let warnings: { message: string; fields: unknown }[];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (message, fields) => warnings.push({ message, fields }),
    error() {},
  };

  async function start(
    sync: Record<string, unknown> = {},
    leading?: () => Promise<boolean>,
    attachments = false,
  ) {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-sn-poll-'));
    store = await openSqliteStore(`sqlite:${join(dir, 's.sqlite')}`);
    sink = recordingSink(join(dir, 'sink.sqlite'));
    const parsed = ServiceNowConfig.parse({ sync: { initialLookback: 3600, ...sync } });
    const config = { ...parsed, auth: sandboxServiceNowAuth(parsed.auth) };
    const driver = createServiceNowLaneDriver({ clock, concurrency: 2 });
    const wired = wireServiceNowSync(
      {
        servicenow: { baseUrl: server.url, config, driver },
        store,
        logger,
        url: 'http://unused',
        ...(leading ? { leading } : {}),
        attachments,
      },
      sink.sink,
    );
    poller = wired.poller;
  }

  const call = snTable(() => server.url);
  const create = (extra: object = {}) =>
    call('POST', '/api/now/table/incident', {
      short_description: 'x',
      correlation_display: 'itsm-bridge',
      ...extra,
    });
  const patch = (id: string, body: object, auth = HUMAN) =>
    call('PATCH', `/api/now/table/incident/${id}`, body, auth);
  const requests = () => emulator.state.callLog.length;

  beforeEach(async () => {
    warnings = [];
    clock = new ManualClock();
    emulator = createServiceNowEmulator({ now: () => clock.now().getTime() });
    server = await emulator.listen(0);
  });
  afterEach(async () => {
    await poller?.stop();
    await store?.close();
    sink?.close();
    await server.close();
  });

  it('hands each journal entry on exactly once across overlapping polls, and field changes as <sys_id>@<sys_mod_count>', async () => {
    const inc = await create();
    await start({ overlap: 60 });
    expect((await poller.pollOnce()).changes).toBe(0); // untouched since its creation: the baseline
    clock.advance(5);
    await patch(inc.sys_id!, { work_notes: 'looked at it', impact: '1' });
    clock.advance(1); // entries of one second are ordered by their (random) sys_id
    await patch(inc.sys_id!, { comments: 'we are on it' });
    await poller.pollOnce();
    clock.advance(1); // still inside the overlap: the same rows and entries are read again
    await poller.pollOnce();
    clock.advance(30);
    await patch(inc.sys_id!, { state: '3', hold_reason: '4', comments: 'waiting for the vendor' });
    await poller.pollOnce();
    await poller.pollOnce();
    const handled = sink.handled();
    expect(
      handled.map((c) => [
        c.changeId,
        c.fields.map((f) => `${f.field}:${f.from}->${f.to}`),
        c.comments.map((x) => `${x.visibility}:${x.body}`),
      ]),
    ).toEqual([
      [`${inc.sys_id}@2`, ['impact:3->1', 'priority:5->3'], []],
      [expect.stringMatching(/^[0-9a-f]{32}$/), [], ['internal:looked at it']],
      [expect.stringMatching(/^[0-9a-f]{32}$/), [], ['customer:we are on it']],
      [`${inc.sys_id}@3`, ['state:1->3', 'holdReason:null->4'], []],
      [expect.stringMatching(/^[0-9a-f]{32}$/), [], ['customer:waiting for the vendor']],
    ]);
    expect(sink.deliveries()).toBe(handled.length); // nothing handed on twice, not even to a deduplicating sink
    expect(handled[0]).toMatchObject({
      system: 'servicenow',
      record: inc.sys_id,
      version: 2,
      updatedAt: '2026-11-02T08:00:06.000Z',
      actor: { id: 'service.desk', name: 'Service Desk', integration: false },
    });
    expect(handled[1]!.changeId).toBe(emulator.state.journal[0]!.sys_id);
  });

  // Found by test/chaos/sync.chaos.ts: pushes lost while the bridge was down (the rule tries twice), then
  // a later push of the same incident moved the journal watermark past them and the poll skipped them.
  it('still polls journal entries whose push was lost after a later push of the same incident arrived', async () => {
    const inc = await create();
    await start({ overlap: 5 });
    expect((await poller.pollOnce()).changes).toBe(0);
    clock.advance(2);
    await patch(inc.sys_id!, { work_notes: 'pushed, but the bridge was down' });
    const lost = emulator.state.journal.at(-1)!;
    clock.advance(30);
    await patch(inc.sys_id!, { comments: 'pushed and received' });
    const received = emulator.state.journal.at(-1)!;
    const row = emulator.state.incidents.find((r) => r.sys_id === inc.sys_id)!;
    await poller.receivePush(
      {
        sysId: row.sys_id!,
        number: row.number!,
        modCount: Number(row.sys_mod_count),
        updatedOn: row.sys_updated_on!,
        updatedBy: row.sys_updated_by!,
        fields: Object.fromEntries(SERVICENOW_SYNCED_COLUMNS.map((c) => [c, row[c] ?? ''])) as Record<
          (typeof SERVICENOW_SYNCED_COLUMNS)[number],
          string
        >,
      },
      [
        {
          sysId: received.sys_id!,
          element: 'comments',
          value: received.value!,
          createdOn: received.sys_created_on!,
          createdBy: received.sys_created_by!,
        },
      ],
    );
    await poller.pollOnce();
    const bodies = sink.handled().flatMap((c) => c.comments.map((x) => x.body));
    expect(bodies.sort()).toEqual([lost.value, received.value].sort());
    expect(sink.deliveries()).toBe(sink.handled().length);
  });

  it('survives hostile remote data: a 5 MB journal entry, a sys_id with ^, a sys_updated_on in another format', async () => {
    const good = await create();
    const odd = await create();
    await start({ overlap: 5 });
    await poller.pollOnce();
    clock.advance(2);
    await patch(good.sys_id!, { work_notes: 'placeholder' });
    emulator.state.journal.at(-1)!.value = 'x'.repeat(5 * 1024 * 1024); // past any request limit
    // What an instance (or something in front of it) might send back: written into the emulator's rows.
    const row = emulator.state.incidents.find((r) => r.sys_id === odd.sys_id)!;
    row.sys_updated_on = '02.11.2026 08:00';
    row.sys_id = `${'b'.repeat(31)}^`;
    clock.advance(2);
    let failed: unknown = null;
    await poller.pollOnce().catch((err: unknown) => (failed = err));
    // Then a person's ordinary comment: it must still arrive, the cursor not stuck on the garbage.
    clock.advance(2);
    await patch(good.sys_id!, { comments: 'after the garbage' });
    clock.advance(2);
    for (let i = 0; i < 3; i++) await poller.pollOnce().catch((err: unknown) => (failed ??= err));
    const bodies = sink.handled().flatMap((c) => c.comments.map((x) => x.body));
    expect(bodies).toContain('after the garbage');
    expect(bodies.filter((b) => b.startsWith('xxxx'))).toHaveLength(1);
    expect(String(failed ?? 'none')).toBe('none');
  });

  it('does not hand on an old entry again when another incident of the batch asks for older journal entries', async () => {
    const a = await create();
    const b = await create();
    await start({ overlap: 30 });
    await poller.pollOnce();
    clock.advance(5);
    await patch(a.sys_id!, { comments: 'a early' });
    clock.advance(1); // incidents of one second come in sys_id order
    await patch(b.sys_id!, { comments: 'b early' });
    await poller.pollOnce();
    clock.advance(100);
    await patch(a.sys_id!, { comments: 'a later' }); // a remembers only its entries of the last 30 s
    await poller.pollOnce();
    clock.advance(100);
    // Both change again: one journal query from b's older bound, which also returns "a early".
    await patch(a.sys_id!, { impact: '2' });
    await patch(b.sys_id!, { impact: '2' });
    await poller.pollOnce();
    const bodies = sink.handled().flatMap((c) => c.comments.map((x) => x.body));
    expect(bodies).toEqual(['a early', 'b early', 'a later']);
    expect(sink.deliveries()).toBe(sink.handled().length);
  });

  it('pages incidents updated in the same second by sys_id without losing or repeating one', async () => {
    await start({ pageSize: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await create()).sys_id!);
    await poller.pollOnce();
    clock.advance(10);
    for (const id of ids) await patch(id, { urgency: '1' }); // all 25 at 08:00:10
    const before = requests();
    const cycle = await poller.pollOnce();
    expect(new Set(sink.handled().map((c) => c.record))).toEqual(new Set(ids));
    expect(sink.deliveries()).toBe(25);
    // 3 incident pages (10, 10, 5), one journal query each (no entries), one user look-up.
    expect(requests() - before).toBe(cycle.requests);
    expect(cycle).toMatchObject({ pages: 3, changes: 25, requests: 7 });
  });

  it('costs one request when nothing changed', async () => {
    const inc = await create();
    await start();
    await patch(inc.sys_id!, { impact: '2' });
    await poller.pollOnce();
    const before = requests();
    clock.advance(30);
    const idle = await poller.pollOnce();
    expect(idle).toMatchObject({ requests: 1, changes: 0 });
    expect(requests() - before).toBe(1);
  });

  it('reads new attachments of our incidents once each, with their size and SHA-256; a settled idle poll is then two requests', async () => {
    const ours = await create();
    const theirs = await call('POST', '/api/now/table/incident', { short_description: 'not ours' });
    await start({ overlap: 30 }, undefined, true);
    await poller.pollOnce();
    const attach = async (record: string, name: string, body: string) => {
      const q = new URLSearchParams({ table_name: 'incident', table_sys_id: record, file_name: name });
      const res = await fetch(`${server.url}/api/now/attachment/file?${q}`, {
        method: 'POST',
        headers: { authorization: HUMAN, 'content-type': 'text/plain', accept: 'application/json' },
        body,
      });
      expect(res.status).toBe(201);
    };
    clock.advance(5);
    await attach(ours.sys_id!, 'trace.txt', 'trace');
    await attach(theirs.sys_id!, 'other.txt', 'not ours');
    await poller.pollOnce();
    const handed = sink.handled().filter((c) => c.attachments.length > 0);
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatchObject({
      record: ours.sys_id,
      actor: { id: 'service.desk', name: 'Service Desk', integration: false },
      attachments: [
        {
          fileName: 'trace.txt',
          contentType: 'text/plain',
          sizeBytes: 5,
          sha256: createHash('sha256').update('trace').digest('hex'),
        },
      ],
    });
    clock.advance(70);
    await poller.pollOnce(); // the settling read of both windows
    clock.advance(30);
    const before = requests();
    expect(await poller.pollOnce()).toMatchObject({ requests: 2, changes: 0 });
    expect(requests() - before).toBe(2);
    expect(sink.conflicts()).toEqual([]);
  });

  it('reads the overlap window again only until it has settled: then an idle poll is one request, however large the last burst', async () => {
    await start({ pageSize: 10, overlap: 30 });
    for (let i = 0; i < 25; i++) await create();
    await poller.pollOnce();
    clock.advance(5);
    // Right after the burst the window may still receive late commits: it is read again (3 pages).
    expect((await poller.pollOnce()).requests).toBe(3);
    clock.advance(60);
    expect((await poller.pollOnce()).requests).toBe(3); // the settling read
    clock.advance(30);
    expect(await poller.pollOnce()).toMatchObject({ requests: 1, changes: 0 });
    // A change reopens the window behind the new cursor; nothing is missed.
    const late = await create();
    await patch(late.sys_id!, { comments: 'after the quiet' });
    const busy = await poller.pollOnce();
    // First sight of an incident written since its creation: its columns, then the comment.
    expect(busy.changes).toBe(2);
    expect(sink.handled().flatMap((c) => c.comments.map((x) => x.body))).toEqual(['after the quiet']);
  });

  it('polls on the injected clock: not before the interval has passed', async () => {
    await start({ pollInterval: 30 });
    expect(await poller.tick()).not.toBeNull();
    clock.advance(29);
    expect(await poller.tick()).toBeNull();
    clock.advance(1);
    expect(await poller.tick()).not.toBeNull();
  });

  it('polls only while this instance leads: a follower sends nothing, and polls once it takes over', async () => {
    let leads = false;
    await start({ pollInterval: 30 }, async () => leads);
    const inc = await create();
    await patch(inc.sys_id!, { comments: 'Any news?' });
    const before = requests();
    expect(await poller.tick()).toBeNull();
    expect(requests()).toBe(before);
    leads = true;
    expect(await poller.tick()).not.toBeNull();
    expect(requests()).toBeGreaterThan(before);
    expect(sink.handled().some((c) => c.comments.length > 0)).toBe(true);
  });

  it('stays within the hourly request budget: waits, says so, and resumes from its cursor an hour later', async () => {
    const inc = await create();
    await start({ requestsPerHour: 10, pollInterval: 5 });
    await patch(inc.sys_id!, { impact: '2', comments: 'first' });
    let polled = 0;
    for (let i = 0; i < 20; i++) {
      if (await poller.tick()) polled++;
      clock.advance(5);
    }
    expect(requests()).toBeLessThanOrEqual(10 + 2); // + the two writes above
    expect(poller.status().budget).toMatchObject({ perHour: 10, remaining: 0 });
    expect(poller.status().budget.exhaustedUntil).toEqual(new Date(Date.parse('2026-11-02T09:00:00Z')));
    expect(warnings.filter((w) => w.message.includes('budget'))).toHaveLength(1);
    expect(polled).toBeLessThan(20);
    await patch(inc.sys_id!, { comments: 'second' });
    clock.advance(3600);
    await poller.tick();
    expect(sink.handled().flatMap((c) => c.comments.map((x) => x.body))).toEqual(['first', 'second']);
  });

  it('moves the cursor only after the sink resolved: a failed sink gets the same changes again', async () => {
    const inc = await create();
    await start();
    await patch(inc.sys_id!, { comments: 'hello' });
    sink.failNext(1);
    await expect(poller.pollOnce()).rejects.toThrow('sink unavailable');
    expect(sink.handled()).toEqual([]);
    expect(await store.servicenowSync.cursor(server.url)).toBeNull();
    await poller.pollOnce();
    // First sight of an incident written since its creation: every non-empty column, then the entry.
    expect(sink.handled().map((c) => c.changeId)).toEqual([
      `${inc.sys_id}@1`,
      emulator.state.journal[0]!.sys_id,
    ]);
    expect(await store.servicenowSync.cursor(server.url)).not.toBeNull();
  });

  it('waits at the ServiceNow gate after a 429 with Retry-After instead of polling into it', async () => {
    await start({ pollInterval: 5 });
    emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 60 });
    await expect(poller.tick()).rejects.toThrow(/429/);
    const after429 = requests();
    clock.advance(10);
    expect(await poller.tick()).toBeNull();
    expect(requests()).toBe(after429);
    clock.advance(60);
    expect(await poller.tick()).not.toBeNull();
  });
});
