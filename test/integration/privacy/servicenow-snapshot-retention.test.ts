import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { purgePersonalData, retentionCutoffs } from '../../../src/app/purge-personal-data';
import { ServiceNowConfig } from '../../../src/config/servicenow';
import { wireServiceNowSync } from '../../../src/composition/wire-servicenow-sync';
import type { ServiceNowPoller } from '../../../integrations/servicenow/servicenow-poller';
import {
  createServiceNowEmulator,
  type ServiceNowEmulator,
} from '../../../integrations/sandbox/servicenow/emulator';
import { sandboxServiceNowAuth } from '../../../integrations/sandbox/sandbox-auth';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import { BACKENDS, freshStore } from '../storage/contract/backends';
import { ManualClock, silentLogger } from '../../helpers/test-app';
import { recordingSink, type RecordingSink } from '../../helpers/recording-sink';
import { snTable, SN_PERSON } from '../../helpers/servicenow-table';

const DAY = 86_400;
const RETENTION = { alertPayloads: 90 * DAY, chatTexts: 180 * DAY, personalNames: 365 * DAY };

/**
 * The retention purge of the ServiceNow snapshots against the real poll: the poller reads the emulator
 * over HTTP into the store of each backend, the purge runs as the daily job does, and the polls after it
 * must report exactly what people changed — nothing again, nothing invented.
 */
describe.each(BACKENDS)('ServiceNow snapshots under retention: %s', (_name, open) => {
  const t = freshStore(open);
  let clock: ManualClock;
  let emulator: ServiceNowEmulator;
  let server: { url: string; close(): Promise<void> };
  let sink: RecordingSink;
  let poller: ServiceNowPoller;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = createServiceNowEmulator({ now: () => clock.now().getTime() });
    server = await emulator.listen(0);
    sink = recordingSink(join(mkdtempSync(join(tmpdir(), 'itsm-sn-retention-')), 'sink.sqlite'));
    const parsed = ServiceNowConfig.parse({ sync: { initialLookback: 3600 } });
    const config = { ...parsed, auth: sandboxServiceNowAuth(parsed.auth) };
    poller = wireServiceNowSync(
      {
        servicenow: {
          baseUrl: server.url,
          config,
          driver: createServiceNowLaneDriver({ clock, concurrency: 2 }),
        },
        store: t.store,
        logger: silentLogger,
        url: 'http://unused',
      },
      sink.sink,
    ).poller;
  });
  afterEach(async () => {
    await poller.stop();
    sink.close();
    await server.close();
  });

  const call = snTable(() => server.url);
  const create = () =>
    call('POST', '/api/now/table/incident', {
      short_description: 'printer down',
      correlation_display: 'itsm-bridge',
    });
  const patch = (id: string, body: object) => call('PATCH', `/api/now/table/incident/${id}`, body, SN_PERSON);
  const stored = async (id: string) => (await t.store.servicenowSync.snapshots(server.url, [id])).get(id);
  /** The changes handed on since `from`, as `field:from->to` and comment bodies. */
  const changesSince = (from: number) =>
    sink
      .handled()
      .slice(from)
      .map((c) => [
        c.record,
        ...c.fields.map((f) => `${f.field}:${f.from}->${f.to}`),
        ...c.comments.map((x) => x.body),
      ]);

  it('purges a long-closed incident’s assignee and close notes, keeps an open one whole, and the polls after it report exactly what people change', async () => {
    const closed = (await create()).sys_id!;
    const open = (await create()).sys_id!;
    await poller.pollOnce();
    clock.advance(5);
    await patch(closed, {
      assigned_to: 'Jonas Weber',
      state: '7',
      close_code: 'Solved (Permanently)',
      close_notes: 'Jonas Weber swapped the fuser',
    });
    await patch(open, { assigned_to: 'Anna Schmidt', impact: '2' });
    await poller.pollOnce();
    const closedBefore = await stored(closed);
    const openBefore = await stored(open);
    expect(closedBefore?.fields).toMatchObject({ state: '7', assigned_to: 'Jonas Weber' });
    expect(openBefore?.fields).toMatchObject({ state: '1', assigned_to: 'Anna Schmidt' });

    // A year and a day later, nobody has touched either: the daily purge at the default retention.
    clock.advance(366 * DAY);
    const purged = await purgePersonalData(
      { store: t.store, clock },
      { cutoffs: retentionCutoffs(clock.now(), RETENTION), dryRun: false, actor: 'job:retention' },
    );
    expect(purged.counts.servicenowSnapshots).toBe(1);
    expect(await stored(closed)).toEqual({
      ...closedBefore,
      fields: { ...closedBefore!.fields, assigned_to: '(purged)', close_notes: '(purged)' },
    });
    expect(await stored(open)).toEqual(openBefore);

    const handedBefore = sink.handled().length;
    expect((await poller.pollOnce()).changes).toBe(0);

    // The open incident is still diffed against what it was: one change, from the right assignee.
    clock.advance(60);
    await patch(open, { assigned_to: 'Jonas Weber' });
    clock.advance(1); // the poll reads in sys_updated_on order
    // Someone adds a work note and lowers the impact of the closed one (allowed while it stays closed):
    // the poll reports that, and not the purged columns as if they had just been set.
    await patch(closed, { work_notes: 'linked to the vendor case', impact: '2' });
    await poller.pollOnce();
    expect(changesSince(handedBefore)).toEqual([
      [open, 'assignedTo:Anna Schmidt->Jonas Weber'],
      [closed, 'impact:3->2', 'priority:5->4'],
      [closed, 'linked to the vendor case'],
    ]);
    expect(sink.conflicts()).toEqual([]);
    // What was read after the purge is new data with its own retention: the snapshot has it again.
    expect((await stored(closed))?.fields).toMatchObject({ state: '7', assigned_to: 'Jonas Weber' });
    expect((await poller.pollOnce()).changes).toBe(0);
  });
});
