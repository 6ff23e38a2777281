import type { PersonMapping, SyncConfig } from '../config/sync';
import type { RemoteChange, SyncSystem } from '../core/sync/remote-change';
import { ownerOf } from '../core/sync/sync-policy';
import type { JiraPeople, ServiceNowPeople } from '../ports/people-directory';

/** A person named in a change (a Jira accountId, a ServiceNow display name) and who they are on the other side. */
export interface PersonMatch {
  /** Display name where the change was made (the value itself when unknown). */
  name: string;
  /** The other system's person: ServiceNow sys_id or Jira accountId, and display name; null for nobody. */
  other: { id: string; name: string } | null;
}

/** Matches by `personKey(system, value)`; a value without an entry was not looked up. */
export type PeopleMatches = ReadonlyMap<string, PersonMatch>;

export const personKey = (system: SyncSystem, value: string): string => `${system}:${value}`;

/** What matching needs: the adapters' look-ups (absent when that system is not configured) and the table. */
export interface MatchPeopleDeps {
  servicenow?: ServiceNowPeople;
  jira?: JiraPeople;
  sync: Pick<SyncConfig, 'ownership' | 'people'>;
}

const ASSIGNEE_FIELDS = new Set(['assignee', 'assignedTo']);

/**
 * The people of the assignee changes in `changes`, looked up before the sync core's transaction (network
 * calls never run inside it). A Jira account is always named by its display name; the other side's
 * person is looked up only where the change will be copied (the change's system owns the assignee): an
 * explicit `sync.people` row first, else the e-mail. An error of a look-up propagates: the delivery is
 * retried rather than copied to nobody.
 */
export async function matchPeople(
  deps: MatchPeopleDeps,
  changes: readonly RemoteChange[],
): Promise<PeopleMatches> {
  const out = new Map<string, PersonMatch>();
  for (const change of changes) {
    const copied = ownerOf(deps.sync, change.system === 'jira' ? 'assignee' : 'assignedTo') === change.system;
    for (const f of change.fields) {
      if (!ASSIGNEE_FIELDS.has(f.field)) continue;
      for (const value of [f.from, f.to]) {
        if (value === null || out.has(personKey(change.system, value))) continue;
        const match =
          change.system === 'jira'
            ? await fromJira(deps, value, copied && value === f.to)
            : await fromServiceNow(deps, value, copied && value === f.to);
        out.set(personKey(change.system, value), match);
      }
    }
  }
  return out;
}

const sameEmail = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

async function fromJira(deps: MatchPeopleDeps, accountId: string, lookUp: boolean): Promise<PersonMatch> {
  const account = deps.jira ? await deps.jira.account(accountId) : null;
  const name = account?.displayName ?? accountId;
  if (!lookUp || !deps.servicenow) return { name, other: null };
  const row = deps.sync.people.find((m) => m.jira === accountId || sameEmail(m.jira, account?.email));
  const user = row
    ? await deps.servicenow.userByUserName(row.servicenow)
    : account?.email
      ? await deps.servicenow.userByEmail(account.email)
      : null;
  return { name, other: user ? { id: user.sysId, name: user.name } : null };
}

async function fromServiceNow(deps: MatchPeopleDeps, name: string, lookUp: boolean): Promise<PersonMatch> {
  if (!lookUp || !deps.servicenow || !deps.jira) return { name, other: null };
  const user = await deps.servicenow.userByName(name);
  const row: PersonMapping | undefined = user
    ? deps.sync.people.find((m) => m.servicenow === user.userName)
    : undefined;
  const account = row
    ? row.jira.includes('@')
      ? await deps.jira.accountByEmail(row.jira)
      : await deps.jira.account(row.jira)
    : user?.email
      ? await deps.jira.accountByEmail(user.email)
      : null;
  return { name, other: account ? { id: account.accountId, name: account.displayName } : null };
}

/** At most this many distinct mentioned accounts are looked up per batch (a comment full of them is bounded). */
const MAX_MENTIONS = 20;
const MENTION = /\[~(?:accountid:)?([^\]\s]+)\]/gi;

/**
 * Display names of the accounts mentioned in Jira wiki markup (`[~accountid:…]`, Data Center `[~name]`)
 * in these changes' comments, so a copy names them instead of "a Jira user" (and still notifies nobody).
 * A failed look-up leaves that mention unnamed rather than fail the delivery.
 */
export async function mentionedNames(
  jira: JiraPeople | undefined,
  changes: readonly RemoteChange[],
): Promise<ReadonlyMap<string, string>> {
  const names = new Map<string, string>();
  if (!jira) return names;
  const ids = new Set<string>();
  for (const c of changes)
    if (c.system === 'jira')
      for (const comment of c.comments)
        for (const m of comment.body.matchAll(MENTION)) if (ids.size < MAX_MENTIONS) ids.add(m[1]!);
  for (const id of ids) {
    const account = await jira.account(id).catch(() => null);
    if (account) names.set(id, account.displayName);
  }
  return names;
}
