import {
  enqueueSyncWrite,
  enqueueTicketCommands,
  noteCommand,
} from '../../../src/app/enqueue-ticket-commands';
import type { TicketCommand } from '../../../src/core/outbox/outbox-command';
import type { Store } from '../../../src/ports/store';
import { BACKENDS, freshStore, incident, insertIncidents, minute } from '../storage/contract/backends';

const settings = { lanes: ['servicenow' as const], groupWait: 0, noteInterval: 60 };

/** Queues a note at minute 0 (due at minute 1), then `command` at `at`; returns the incident's commands. */
async function noteThen(store: Store, command: TicketCommand, at: string) {
  const [inc] = await insertIncidents(store, incident('g'));
  const queue = (c: TicketCommand, now: string) =>
    store.unitOfWork((uow) =>
      enqueueTicketCommands(uow, settings, { incidentId: inc!.id, command: c, now, chat: 'coalesced' }),
    );
  await queue(noteCommand(minute(0)), minute(0));
  await queue(command, at);
  return store.outbox.of(inc!.id);
}

const at = '2026-11-02T08:00:30.000Z'; // the note waits until 08:01:00

describe.each(BACKENDS)('a command queued behind a waiting note (%s)', (_name, open) => {
  const t = freshStore(open);

  it.each(['resolve', 'reopen'] as const)('%s absorbs the note and is due at once', async (kind) => {
    const [note, cmd] = await noteThen(t.store, { kind, payload: {} }, at);
    expect(note).toMatchObject({ kind: 'note', state: 'done' });
    expect(cmd).toMatchObject({ kind, state: 'pending', notBefore: at, payload: { since: minute(0) } });
    expect(
      (await t.store.unitOfWork((uow) => uow.outbox.due('servicenow', at, 10))).map((c) => c.kind),
    ).toEqual([kind]);
  });

  it("keeps a person's resolve notes beside the absorbed note", async () => {
    const [, cmd] = await noteThen(
      t.store,
      { kind: 'resolve', payload: { notes: 'fixed the NFS mount' } },
      at,
    );
    expect(cmd?.payload).toEqual({ notes: 'fixed the NFS mount', since: minute(0) });
  });

  it('makes the note due now for any other command, so it goes out right before', async () => {
    const [note, cmd] = await noteThen(t.store, { kind: 'comment', payload: { text: 'on it' } }, at);
    expect(note).toMatchObject({ kind: 'note', state: 'pending', notBefore: at });
    expect(cmd).toMatchObject({ kind: 'comment', state: 'pending', notBefore: at });
    expect(
      (await t.store.unitOfWork((uow) => uow.outbox.due('servicenow', at, 10))).map((c) => c.kind),
    ).toEqual(['note']);
  });

  it('makes the note due now for a sync copy, so a Jira comment does not wait out the interval', async () => {
    const [inc] = await insertIncidents(t.store, incident('g'));
    const id = inc!.id;
    const both = { ...settings, lanes: ['servicenow' as const, 'jira' as const] };
    await t.store.unitOfWork((uow) =>
      enqueueTicketCommands(uow, both, {
        incidentId: id,
        command: noteCommand(minute(0)),
        now: minute(0),
        chat: 'coalesced',
      }),
    );
    const write = {
      type: 'comment' as const,
      text: '[Jira comment by Erika Engineer on INFRA-1]\nRouter restarted',
      visibility: 'internal' as const,
    };
    await t.store.unitOfWork((uow) =>
      enqueueSyncWrite(uow, { incidentId: id, lane: 'servicenow', payload: { write }, now: at }),
    );
    expect(
      (await t.store.unitOfWork((uow) => uow.outbox.due('servicenow', at, 10))).map((c) => c.kind),
    ).toEqual(['note']);
    const commands = await t.store.outbox.of(id);
    expect(commands.map((c) => [c.lane, c.kind, c.notBefore])).toEqual([
      ['servicenow', 'note', at],
      ['jira', 'note', minute(1)], // the other lane's note keeps coalescing
      ['servicenow', 'sync', at],
    ]);
  });

  it('leaves a note alone that is already due', async () => {
    const later = '2026-11-02T08:02:00.000Z';
    const [note, cmd] = await noteThen(t.store, { kind: 'resolve', payload: {} }, later);
    expect(note).toMatchObject({ kind: 'note', state: 'pending', notBefore: minute(1) });
    expect(cmd?.payload).toEqual({});
  });
});
