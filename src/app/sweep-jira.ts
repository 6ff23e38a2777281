import type { RemoteChangeSink } from '../core/sync/remote-change';
import type { Clock } from '../ports/clock';
import type { RemoteChangeReader } from '../ports/remote-change-reader';
import type { Store } from '../ports/store';

export interface SweepDeps {
  store: Pick<Store, 'sync'>;
  reader: RemoteChangeReader;
  sink: RemoteChangeSink;
  clock: Clock;
  /** How far back the JQL looks (`updated >= -N m`): longer than the sweep interval, so runs overlap. */
  windowSeconds: number;
  /** Incidents opened this long ago or later are swept. */
  lookbackSeconds: number;
}

const PAGE = 500;

/**
 * One JQL sweep: the Jira keys of every linked pair opened within the lookback, their changes of the
 * window handed to the sync (which drops what a webhook already delivered). Returns how many changes
 * the reader found.
 */
export async function sweepJira(deps: SweepDeps): Promise<number> {
  const since = new Date(deps.clock.now().getTime() - deps.lookbackSeconds * 1000).toISOString();
  let found = 0;
  for (let after = 0; ;) {
    const pairs = await deps.store.sync.linkedPairs(since, after, PAGE);
    if (pairs.length === 0) return found;
    after = pairs[pairs.length - 1]!.id;
    const keys = pairs.flatMap((p) => (p.tickets.jira ? [p.tickets.jira.key] : []));
    const changes = await deps.reader.recentChanges(keys, deps.windowSeconds);
    found += changes.length;
    if (changes.length > 0) await deps.sink(changes);
    if (pairs.length < PAGE) return found;
  }
}
