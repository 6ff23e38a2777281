import { tick } from '../core/correlate/correlate';
import type { CorrelateDeps } from './correlate-batch';
import { enqueueTicketCommands, noteCommand } from './enqueue-ticket-commands';
import { recordEvent } from './record-event';
import { stopIncidentEscalations } from './escalate-incidents';

/** Resolves incidents whose grace has passed and ends flapping that has calmed down. */
export async function tickIncidents(
  deps: Pick<CorrelateDeps, 'store' | 'clock' | 'correlation' | 'ticketing'>,
): Promise<number> {
  return deps.store.unitOfWork(async (uow) => {
    const nowDate = deps.clock.now();
    const now = nowDate.toISOString();
    let changed = 0;
    for (const inc of await uow.incidents.needingTick()) {
      const memberChanges =
        inc.flapping && !inc.flappingReported
          ? (await uow.incidents.members(inc.id)).map((m) => m.flapChanges)
          : [];
      const t = tick(inc, nowDate, deps.correlation, memberChanges);
      if (!t) continue;
      changed++;
      if (t.kind === 'resolve') {
        await uow.incidents.update(inc.id, {
          state: 'resolved',
          resolvedAt: now,
          resolveDueAt: null,
          // The tool's flapping held the open incident; a FLAPPINGSTOP after resolution finds none to clear it.
          flappingReported: false,
          updatedAt: now,
        });
      } else {
        await uow.incidents.update(inc.id, { flapping: false, updatedAt: now });
      }
      await recordEvent(uow, {
        type: t.kind === 'resolve' ? 'resolved' : 'flapping_ended',
        data: {},
        incidentId: inc.id,
        at: now,
        actor: 'job:correlator',
        reason: t.reason,
        audit: { reason: t.reason },
      });
      if (t.kind === 'resolve')
        await stopIncidentEscalations(uow, {
          incidentId: inc.id,
          by: 'job:correlator',
          at: now,
          reason: 'resolved by recovery',
          page: 'resolve',
        });
      await enqueueTicketCommands(uow, deps.ticketing, {
        incidentId: inc.id,
        command: t.kind === 'resolve' ? { kind: 'resolve', payload: {} } : noteCommand(now),
        now,
        chat: 'coalesced',
      });
    }
    return changed;
  });
}
