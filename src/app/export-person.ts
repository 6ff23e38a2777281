import type { OnCallPerson } from '../core/oncall/schedule';
import { PURGED } from '../core/privacy/pseudonymise';
import type { Clock } from '../ports/clock';
import type { PersonRecords, Store } from '../ports/store';

/** Who a data-subject request is about: an e-mail address or a chat id. */
export type PersonQuery = { email: string } | { id: string };

/** Parses `jonas.weber@example.com`, `slack:U0JONAS001` or `teams:<id>`; an error names what is accepted. */
export function parsePersonQuery(text: string): PersonQuery | { error: string } {
  const t = text.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) return { email: t.toLowerCase() };
  if (/^(slack|teams):\S+$/.test(t)) return { id: t };
  return {
    error: `"${text}" is neither an e-mail address nor a chat id like slack:U0123 or teams:<user id>`,
  };
}

/** The data-subject export: how the person was found, and every record naming them. */
export interface PersonExport {
  query: string;
  generatedAt: string;
  /**
   * The chat ids and e-mail addresses searched for (the query plus what the config links to it), and
   * the names ServiceNow snapshots and the sync's last seen values were searched for (configured, or
   * their acknowledgements').
   */
  identifiers: { ids: string[]; emails: string[]; names: string[] };
  /** The person's entries in the configuration (on-call rotations, provider lists). */
  configured: OnCallPerson[];
  stored: PersonRecords;
}

const idsOf = (p: OnCallPerson) => [
  ...(p.slackUser ? [`slack:${p.slackUser}`] : []),
  ...(p.teamsUser ? [`teams:${p.teamsUser}`] : []),
];

/**
 * Collects everything stored about one person (GDPR art. 15): the configuration links an e-mail to
 * chat ids and back, and so does an acknowledgement (queued with the e-mail, stored with the chat id).
 * The store is then searched for all of them.
 */
export async function exportPerson(
  deps: {
    store: Pick<Store, 'privacy' | 'incidents' | 'outbox'>;
    people: readonly OnCallPerson[];
    clock: Clock;
  },
  query: string,
): Promise<PersonExport | { error: string }> {
  const q = parsePersonQuery(query);
  if ('error' in q) return q;
  const matches = (p: OnCallPerson) =>
    'email' in q ? p.email?.toLowerCase() === q.email : idsOf(p).includes(q.id);
  const configured = deps.people.filter(matches);
  const ids = new Set(['id' in q ? [q.id] : [], ...configured.map(idsOf)].flat());
  const emails = new Set(
    ['email' in q ? [q.email] : [], ...configured.flatMap((p) => (p.email ? [p.email] : []))].flat(),
  );
  const names = new Set(configured.map((p) => p.name));
  const searched = { ids: ids.size, emails: emails.size, names: names.size };
  const first = await deps.store.privacy.aboutPerson({
    ids: [...ids],
    emails: [...emails],
    names: [...names],
  });
  // ServiceNow names people by display name only: the name they acknowledged with is the best lead.
  const addName = (name: string) => {
    if (name && name !== PURGED) names.add(name);
  };
  // The ticket `ack` command carries the e-mail, the incident the chat id (and name) that
  // acknowledged: each leads to the other.
  for (const c of first.outbox.filter((c) => c.kind === 'ack')) {
    const inc = await deps.store.incidents.get(c.incidentId);
    if (inc?.acknowledged?.at !== c.createdAt) continue;
    ids.add(inc.acknowledged.by);
    addName(inc.acknowledged.name);
  }
  for (const a of first.acknowledgements) {
    addName(a.name);
    for (const c of await deps.store.outbox.of(a.incidentId))
      if (c.kind === 'ack' && c.createdAt === a.at && c.payload.email)
        emails.add(c.payload.email.toLowerCase());
  }
  const grown = ids.size > searched.ids || emails.size > searched.emails || names.size > searched.names;
  const who = { ids: [...ids], emails: [...emails], names: [...names] };
  const stored = grown ? await deps.store.privacy.aboutPerson(who) : first;
  return {
    query,
    generatedAt: deps.clock.now().toISOString(),
    identifiers: who,
    configured,
    stored,
  };
}
