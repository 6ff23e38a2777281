import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { SERVICENOW_SYNCED_COLUMNS } from '../../src/ports/servicenow-sync';
import { recordingSink } from '../helpers/recording-sink';
import { waitExit } from '../helpers/child-server';
import { snTable, SN_BRIDGE as BRIDGE, SN_PERSON as HUMAN } from '../helpers/servicenow-table';
import { testDatabase } from '../helpers/test-database';

const ROOT = join(__dirname, '..', '..');

/** The poller as its own process, SIGKILLed at random points of its polls while people keep editing. */
describe('ServiceNow poll survives SIGKILL', () => {
  jest.setTimeout(90_000);

  it('loses nothing and hands no change on in two versions across kills', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-sn-crash-'));
    const database = await testDatabase(dir, 'state.sqlite');
    const sinkPath = join(dir, 'sink.sqlite');
    const emulator = createServiceNowEmulator({ faults: { latencyMs: 15 } });
    const server = await emulator.listen(0);
    const call = snTable(() => server.url);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const inc = await call(
        'POST',
        '/api/now/table/incident',
        { short_description: `n${i}`, correlation_display: 'itsm-bridge' },
        BRIDGE,
      );
      ids.push(inc.sys_id!);
    }
    const created = new Map(emulator.state.incidents.map((r) => [r.sys_id!, { ...r }]));
    let editing = true;
    let edits = 0;
    const people = (async () => {
      while (editing) {
        const id = ids[edits % ids.length]!;
        const body =
          edits % 3 === 0
            ? { comments: `customer ${edits}` }
            : edits % 3 === 1
              ? { work_notes: `note ${edits}`, impact: String((edits % 3) + 1) }
              : { urgency: String((edits % 3) + 1), state: edits % 2 ? '3' : '2', hold_reason: '4' };
        await call('PATCH', `/api/now/table/incident/${id}`, body, HUMAN);
        edits++;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const child = (): { proc: ChildProcess; cycles: () => number[] } => {
      const cycles: number[] = [];
      const proc = spawn(
        process.execPath,
        [
          join(ROOT, 'test/helpers/run-ts.js'),
          join(ROOT, 'test/helpers/servicenow-poll-child.ts'),
          server.url,
          database.url,
          sinkPath,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      proc.stdout!.on('data', (d: Buffer) => {
        for (const m of String(d).matchAll(/cycle (\d+)/g)) cycles.push(Number(m[1]));
      });
      return { proc, cycles: () => cycles };
    };
    let kills = 0;
    for (let round = 0; round < 12; round++) {
      const c = child();
      // Somewhere inside a poll: once it runs, after a random share of its requests.
      for (let i = 0; i < 400 && c.cycles().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 200)));
      c.proc.kill('SIGKILL');
      await waitExit(c.proc);
      kills++;
    }
    editing = false;
    await people;
    // A last poller runs until two polls in a row find nothing new.
    const last = child();
    for (let i = 0; i < 800; i++) {
      const cy = last.cycles();
      if (cy.length >= 3 && cy[cy.length - 1] === 0 && cy[cy.length - 2] === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    last.proc.kill('SIGKILL');
    await waitExit(last.proc);
    await server.close();
    await database.drop();

    const sink = recordingSink(sinkPath);
    const handled = sink.handled();
    expect(kills).toBe(12);
    expect(edits).toBeGreaterThan(20);
    expect(sink.conflicts()).toEqual([]);
    // Every journal entry arrived (each once: the sink's unique key; none was handed on in two versions).
    const comments = handled.filter((c) => c.comments.length > 0).map((c) => c.changeId);
    expect(new Set(comments)).toEqual(new Set(emulator.state.journal.map((j) => j.sys_id)));
    expect(comments).toHaveLength(emulator.state.journal.length);
    // No field update lost: folding the handed-on changes in version order gives ServiceNow's values now.
    const byColumn: Record<string, string> = {
      state: 'state',
      holdReason: 'hold_reason',
      impact: 'impact',
      urgency: 'urgency',
      priority: 'priority',
      assignmentGroup: 'assignment_group',
      assignedTo: 'assigned_to',
      closeCode: 'close_code',
      closeNotes: 'close_notes',
    };
    for (const id of ids) {
      const values: Record<string, string> = {};
      for (const col of SERVICENOW_SYNCED_COLUMNS) values[col] = created.get(id)![col] ?? '';
      const changes = handled
        .filter((c) => c.record === id && c.fields.length > 0)
        .sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
      for (const c of changes) for (const f of c.fields) values[byColumn[f.field]!] = f.to ?? '';
      const now = emulator.state.incidents.find((r) => r.sys_id === id)!;
      expect(values).toEqual(
        Object.fromEntries(SERVICENOW_SYNCED_COLUMNS.map((col) => [col, now[col] ?? ''])),
      );
    }
    // Repeats are bounded by what was in flight at each kill (a page and its journal entries).
    expect(sink.deliveries() - handled.length).toBeLessThanOrEqual(kills * (5 + 7 * 3));
    sink.close();
  });
});
