import { createHash } from 'node:crypto';
import NodeCache from 'node-cache';
import type { JiraAuthConfig, JiraConfig } from '../../src/config/jira';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import type {
  SyncState,
  DuplicateTickets,
  HandoffIssues,
  HandoffLink,
  TicketDraft,
  TicketRef,
  TicketSystem,
  TicketSystemName,
} from '../../src/ports/ticket-system';
import { IntegrationError } from '../../src/errors';
import type { SyncWrite } from '../../src/core/outbox/outbox-command';
import { unhandled } from '../../src/core/unhandled';
import { doc, issueDescription, issueDescriptionWiki, paragraphs } from './adf';
import { adfText } from './jira-remote-changes';
import { escapeWiki } from './wiki-markup';
import type { GatedTransport } from '../lanes/remote-lane-driver';
import { fitDescription, fitText, type TextLimit } from '../../src/core/ticket-text/fit-description';
import type { JiraPeople, JiraPerson } from '../../src/ports/people-directory';
import {
  createJiraClient,
  createJiraJsClient,
  toIntegrationError,
  type JiraApi,
  type JiraCredentials,
} from './client';

/** Issue property holding our ids; searchable by reading it back (JQL on it needs an app index). */
export const PROPERTY_KEY = 'itsm-bridge';

export interface JiraTicketSystemOptions {
  config: JiraConfig;
  /** Site URL, or the emulator's URL when `config.baseUrl` is absent. */
  baseUrl: string;
  logger?: Logger;
  /** The Jira lane driver (`createJiraLaneDriver`): its limit and Retry-After gate hold for every request. */
  transport: GatedTransport;
  /** Sync comments go through Jira Service Management (internal or public), `sync.jira.serviceManagement`. */
  serviceManagement?: boolean;
}

/** Each JiraApi method is one HTTP request: run it in the transport's limit, after the gate opened. */
function gated(api: JiraApi, transport: GatedTransport): JiraApi {
  const wrapped: Record<string, unknown> = { flavour: api.flavour };
  for (const name of [
    'createIssue',
    'getStatusCategory',
    'getStatus',
    'getWorkState',
    'findUsers',
    'setAssignee',
    'addComment',
    'addServiceDeskComment',
    'getUser',
    'recentComments',
    'setPriority',
    'editLabels',
    'getTransitions',
    'doTransition',
    'upsertRemoteLink',
    'search',
    'linkIssues',
    'issueLinks',
  ] as const) {
    const fn = api[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) => transport.request(() => fn.apply(api, args));
  }
  return wrapped as unknown as JiraApi;
}

/** Builds the Jira adapter (Cloud v3 + ADF, or Data Center v2 + wiki markup per `config.flavour`). */
export function createJiraTicketSystem(o: JiraTicketSystemOptions): JiraTicketSystem {
  const api = createJiraClient({
    host: o.baseUrl,
    flavour: o.config.flavour,
    timeoutMs: o.config.timeoutMs,
    transport: o.transport,
    credentials: jiraCredentials(o.config.auth),
  });
  return new JiraTicketSystem(
    gated(api, o.transport),
    o.config,
    o.baseUrl.replace(/\/$/, ''),
    o.transport.clock,
    o.logger,
    o.serviceManagement ?? false,
  );
}

/** The config's credentials, revealed for the client (the sandbox token where none is set). */
export function jiraCredentials(auth: JiraAuthConfig): JiraCredentials {
  // A secret left out is sent empty: Jira answers 401. (In sandbox mode the composition fills it in.)
  return auth.type === 'basic'
    ? { type: 'basic', email: auth.email, apiToken: auth.apiToken?.reveal() ?? '' }
    : { type: 'pat', token: auth.token?.reveal() ?? '' };
}

/** A Cloud (REST v3) jira.js client with the config's credentials, for the readers (SLA source, sweep). */
export function createCloudReadClient(o: { config: JiraConfig; baseUrl: string; transport: GatedTransport }) {
  return createJiraJsClient({
    host: o.baseUrl,
    flavour: 'cloud',
    timeoutMs: o.config.timeoutMs,
    transport: o.transport,
    credentials: jiraCredentials(o.config.auth),
  });
}

/** `<prefix>-<12 hex of sha256(incident key)>`: stable, label-safe (no spaces), short. */
export const labelFor = (prefix: string, incidentKey: string): string =>
  `${prefix}-${createHash('sha256').update(incidentKey).digest('hex').slice(0, 12)}`;

export class JiraTicketSystem implements TicketSystem, DuplicateTickets, HandoffIssues, JiraPeople {
  readonly name = 'jira' as const;
  /** Issue ids we created in this process, by incident key: passed as `reconcileIssues` to search. */
  readonly #created = new NodeCache({ stdTTL: 3600, checkperiod: 0 });
  /** E-mail → accountId (DC: username), or null for nobody; a person's account rarely changes. */
  readonly #users = new NodeCache({ stdTTL: 600, checkperiod: 0 });

  constructor(
    private readonly api: JiraApi,
    private readonly config: JiraConfig,
    private readonly baseUrl: string,
    private readonly clock: Clock,
    private readonly logger?: Logger,
    private readonly serviceManagement = false,
  ) {}

  /** The newest issue carrying the incident key (see #carrying for why it may miss a fresh one). */
  async findByIncidentKey(incidentKey: string, provider: string): Promise<TicketRef | null> {
    const [hit] = await this.#carrying('findByIncidentKey', incidentKey, provider);
    return hit ?? null;
  }

  async duplicatesOf(incidentKey: string, provider: string, keep: TicketRef): Promise<TicketRef[]> {
    const hits = await this.#carrying('duplicatesOf', incidentKey, provider);
    return hits.filter((h) => h.key !== keep.key);
  }

  /**
   * Link, comment, move to done, and last take our label off (so a crash halfway leaves it findable for
   * the next pass). The link is a remote link with a stable globalId, so repeating it changes nothing.
   */
  async closeAsDuplicate(duplicate: TicketRef, keep: TicketRef, incidentKey: string): Promise<void> {
    const op = 'closeAsDuplicate';
    await this.#run(op, () =>
      this.api.upsertRemoteLink(duplicate.key, {
        globalId: `duplicate-of=${keep.key}`,
        url: keep.url,
        title: `Duplicate of ${keep.key}`,
        application: { type: 'com.atlassian.jira', name: 'Jira' },
      }),
    );
    const text = `Duplicate of ${keep.key}: itsm-bridge created this issue twice for one incident (the answer to the first create was lost) and keeps ${keep.key}.`;
    await this.#run(op, () => this.api.addComment(duplicate.key, this.#rich(text)));
    await this.#toDone(duplicate, op);
    const prefix = this.config.labelPrefix;
    await this.#run(op, () =>
      this.api.editLabels(duplicate.key, {
        add: [`${prefix}-duplicate`],
        remove: [labelFor(prefix, incidentKey)],
      }),
    );
  }

  /**
   * Issues carrying the incident key, newest first: JQL on our label, then the issue property to rule
   * out hash collisions. Jira search is eventually consistent: a just-created issue may be missing unless
   * its id is known (`reconcileIssues`), which is why the store — not this search — is the source of
   * truth, and why duplicatesOf runs later, once the index has caught up.
   */
  async #carrying(operation: string, incidentKey: string, provider: string): Promise<TicketRef[]> {
    const label = labelFor(this.config.labelPrefix, incidentKey);
    const project = this.#project(provider).projectKey;
    const known = this.#created.get<string>(incidentKey);
    const hits = await this.#run(operation, () =>
      this.api.search(`project = ${project} AND labels = "${label}" ORDER BY created DESC`, {
        properties: [PROPERTY_KEY],
        reconcileIssues: known ? [Number(known)] : [],
        maxResults: 10,
      }),
    );
    return hits
      .filter(
        (h) =>
          (h.properties[PROPERTY_KEY] as { incidentKey?: string } | undefined)?.incidentKey === incidentKey,
      )
      .map((h) => this.#ref(h));
  }

  async create(draft: TicketDraft): Promise<TicketRef> {
    const project = this.#project(draft.provider);
    const priority = this.config.priorityMap[priorityFor(draft.impact, draft.urgency)];
    const fields: Record<string, unknown> = {
      project: { key: project.projectKey },
      issuetype: { name: project.issueType },
      // Jira caps summaries at 255 characters.
      summary: draft.title.length > 255 ? `${draft.title.slice(0, 254)}…` : draft.title,
      // Large incidents are summarised to stay under Jira's 32,767-character limit (JIRA_TEXT).
      description:
        this.api.flavour === 'cloud'
          ? fitDescription(draft, issueDescription, JIRA_TEXT)
          : fitDescription(draft, issueDescriptionWiki, JIRA_TEXT),
      labels: [labelFor(this.config.labelPrefix, draft.incidentKey)],
      ...(priority ? { priority: { name: priority } } : {}),
    };
    // The property is set in the same request as the create, so there is no window without it.
    const properties = [
      { key: PROPERTY_KEY, value: { incidentId: draft.incidentId, incidentKey: draft.incidentKey } },
    ];
    const created = await this.#run('create', () => this.api.createIssue(fields, properties));
    this.#created.set(draft.incidentKey, created.id);
    this.logger?.info('jira issue created', { key: created.key, incidentKey: draft.incidentKey });
    return this.#ref(created);
  }

  async addNote(ticket: TicketRef, text: string): Promise<void> {
    await this.#run('addNote', () => this.api.addComment(ticket.key, this.#rich(text)));
  }

  async resolve(ticket: TicketRef, resolution: { code: string; notes: string }): Promise<void> {
    // Already resolved: nothing to do, keeps retries idempotent.
    if ((await this.#toDone(ticket, 'resolve')) === 'already') return;
    const notes = [resolution.code, resolution.notes].filter(Boolean).join(': ');
    if (notes) await this.addNote(ticket, notes);
  }

  async reopen(ticket: TicketRef, note: string): Promise<'reopened' | 'closed'> {
    const category = await this.#run('reopen', () => this.api.getStatusCategory(ticket.key));
    if (category === 'done') {
      const moved = await this.#transitionTo(ticket, 'reopen', ['indeterminate', 'new']);
      if (moved === 'none') return 'closed'; // the workflow does not allow leaving this done status
    }
    await this.addNote(ticket, note);
    return 'reopened';
  }

  async linkTo(
    ticket: TicketRef,
    other: { system: TicketSystemName; key: string; url: string },
  ): Promise<void> {
    const application =
      other.system === 'servicenow'
        ? { type: 'com.servicenow', name: 'ServiceNow' }
        : { type: 'com.atlassian.jira', name: 'Jira' };
    // Same globalId → Jira updates the link instead of adding a second one (idempotent).
    const globalId = `system=${other.system}&id=${other.key}`;
    await this.#run('linkTo', () =>
      this.api.upsertRemoteLink(ticket.key, { globalId, url: other.url, title: other.key, application }),
    );
  }

  async linkHandoff(issue: TicketRef, original: TicketRef, o: HandoffLink): Promise<void> {
    const op = 'linkHandoff';
    const links = await this.#run(op, () => this.api.issueLinks(original.key));
    // The new issue is the outward side: "<new> relates to <original>".
    if (!links.some((l) => l.key === issue.key && l.type === o.linkType))
      await this.#run(op, () => this.api.linkIssues(o.linkType, original.key, issue.key));
    if (o.servicenow) await this.linkTo(issue, { system: 'servicenow', ...o.servicenow });
    await this.addNote(original, o.comment);
    if (o.transition) {
      const wanted = o.transition.toLowerCase();
      const transitions = await this.#run(op, () => this.api.getTransitions(original.key));
      const t = transitions.find((x) => x.name.toLowerCase() === wanted);
      if (t) await this.#run(op, () => this.api.doTransition(original.key, t.id));
      else
        this.logger?.warn('jira: hand-off transition not available', {
          key: original.key,
          transition: o.transition,
        });
    }
  }

  /**
   * Assigns the person found by e-mail (skipped when already theirs), moves a To Do issue into an In
   * Progress-category status and comments the note. A done issue is not reopened: it only gets the note.
   * Somebody without a Jira account (or one Jira refuses as assignee) is named in the comment instead.
   */
  /**
   * Hand-off accepted: the person who accepted becomes the assignee when Jira knows them (else the
   * assignee stays), and the hand-off note is a comment. The receiving provider's own issue is the
   * `handoff_issue` command's (linkHandoff).
   */
  async reassign(
    ticket: TicketRef,
    to: { provider: string; email: string | null; name: string | null; note: string },
  ): Promise<void> {
    const op = 'reassign';
    const user = await this.#userByEmail(to.email);
    if (user !== null) await this.#assign(op, ticket, user);
    await this.#run(op, () => this.api.addComment(ticket.key, this.#rich(to.note)));
  }

  /**
   * A sync write: comment (the text carries who wrote it; a customer's comment says so in its header),
   * the transition into the mapped status (none when already there), or the priority / assignee.
   */
  async writeSync(ticket: TicketRef, write: SyncWrite, opts: { repeat?: boolean } = {}): Promise<void> {
    const op = 'sync';
    switch (write.type) {
      case 'comment': {
        // JSM's own call rather than the platform's `properties: sd.public.comment`: the platform API
        // documents `jsdPublic` as "to create a comment with its visibility set to false, use the Jira
        // Service Desk REST API Create request comment operation"; the property is undocumented.
        const text = this.serviceManagement ? fitText(write.text, (t) => t, JIRA_TEXT) : null;
        const body = text ?? this.#rich(write.text);
        if (opts.repeat) {
          const plain = (b: unknown) => (typeof b === 'string' ? b : adfText(b));
          const recent = await this.#run(op, () => this.api.recentComments(ticket.key, RECENT_COMMENTS));
          if (recent.some((b) => plain(b) === plain(body))) return;
        }
        if (text !== null)
          await this.#run(op, () =>
            this.api.addServiceDeskComment(ticket.key, text, write.visibility === 'customer'),
          );
        else await this.#run(op, () => this.api.addComment(ticket.key, body));
        return;
      }
      case 'transition': {
        const state = await this.#run(op, () => this.api.getStatus(ticket.key));
        const wanted = write.status?.toLowerCase();
        // A category's status that another mapping row names (Waiting for On Hold) is not "there".
        const besides = new Set((write.besides ?? []).map((s) => s.toLowerCase()));
        const inCategory = (category: string | undefined, name: string | undefined) =>
          category === write.category && !besides.has((name ?? '').toLowerCase());
        if (
          wanted !== undefined ? state.name?.toLowerCase() === wanted : inCategory(state.category, state.name)
        )
          return;
        const transitions = await this.#run(op, () => this.api.getTransitions(ticket.key));
        const t =
          wanted !== undefined
            ? transitions.find((x) => x.to?.toLowerCase() === wanted)
            : transitions.find((x) => inCategory(x.category, x.to));
        if (!t)
          throw new IntegrationError(
            'jira',
            op,
            null,
            `no transition to ${write.status ?? `a ${String(write.category)} status`} from ${ticket.key}`,
            false,
          );
        await this.#run(op, () => this.api.doTransition(ticket.key, t.id));
        return;
      }
      case 'field':
        if (write.field === 'priority' && write.value !== null) {
          const name = write.value;
          await this.#run(op, () => this.api.setPriority(ticket.key, name));
          return;
        }
        if (write.field === 'assignee') {
          const user = write.value;
          if (user === null) await this.#run(op, () => this.api.setAssignee(ticket.key, null));
          else if (!(await this.#assign(op, ticket, user)))
            throw new IntegrationError(
              'jira',
              op,
              400,
              `Jira refused ${user} as assignee of ${ticket.key}`,
              false,
            );
          return;
        }
        throw new IntegrationError('jira', op, null, `the sync does not write Jira ${write.field}`, false);
      case 'state':
        throw new IntegrationError('jira', op, null, 'a ServiceNow state write sent to Jira', false);
      case 'attachment':
        // Bytes move between the two systems: runTicketCommand copies them (copyAttachment).
        throw new IntegrationError('jira', op, null, 'an attachment copy is not a field write', false);
      default:
        return unhandled(write);
    }
  }

  async syncState(ticket: TicketRef): Promise<SyncState | null> {
    try {
      const s = await this.#run('syncState', () => this.api.getStatus(ticket.key));
      return { status: s.name ?? null, category: s.category ?? null };
    } catch (err) {
      if (err instanceof IntegrationError && err.status === 404) return null;
      throw err;
    }
  }

  /** Sets the assignee; false when Jira refuses that person here (400 errors.assignee). */
  async #assign(op: string, ticket: TicketRef, user: string): Promise<boolean> {
    try {
      await this.#run(op, () => this.api.setAssignee(ticket.key, user));
      return true;
    } catch (err) {
      // 400 errors.assignee: the account exists but may not be assigned in this project.
      if (!(err instanceof IntegrationError) || err.status !== 400) throw err;
      this.logger?.warn('jira assignee rejected', { key: ticket.key, error: err.message });
      return false;
    }
  }

  async acknowledge(
    ticket: TicketRef,
    who: { email: string | null; name: string; note: string },
  ): Promise<void> {
    const op = 'acknowledge';
    const current = await this.#run(op, () => this.api.getWorkState(ticket.key));
    if (current.category === 'done') {
      if (who.note) await this.#run(op, () => this.api.addComment(ticket.key, this.#rich(who.note)));
      return;
    }
    const user = await this.#userByEmail(who.email);
    let assigned = user !== null;
    if (user !== null && user !== current.assignee) assigned = await this.#assign(op, ticket, user);
    if (current.category !== 'indeterminate') {
      const moved = await this.#transitionTo(ticket, op, ['indeterminate']);
      if (moved === 'none')
        this.logger?.warn('jira: no transition to an In Progress status', { key: ticket.key });
    }
    const note = assigned ? who.note : withUnknownPerson(who);
    if (note) await this.#run(op, () => this.api.addComment(ticket.key, this.#rich(note)));
  }

  /**
   * User search matches prefixes of names and e-mails, so the hit must carry this exact address; Cloud
   * hides addresses per profile visibility, then a single active hit with a hidden address is accepted.
   */
  async #userByEmail(email: string | null): Promise<string | null> {
    const wanted = email?.trim().toLowerCase() ?? '';
    if (!wanted) return null;
    const cached = this.#users.get<string | null>(wanted);
    if (cached !== undefined) return cached;
    const users = await this.#run('acknowledge', () => this.api.findUsers(wanted));
    const people = users.filter(
      (u) => u.active && (u.accountType === undefined || u.accountType === 'atlassian'),
    );
    const exact = people.find((u) => u.email?.toLowerCase() === wanted);
    const only = people.length === 1 && people[0]?.email === null ? people[0] : undefined;
    const id = (exact ?? only)?.id ?? null;
    this.#users.set(wanted, id);
    return id;
  }

  async account(accountId: string): Promise<JiraPerson | null> {
    const key = `account:${accountId}`;
    const cached = this.#users.get<JiraPerson | null>(key);
    if (cached !== undefined) return cached;
    let person: JiraPerson | null;
    try {
      const u = await this.#run('look up account', () => this.api.getUser(accountId));
      person = { accountId: u.id, displayName: u.displayName, email: u.email };
    } catch (err) {
      // 404: no such account (deleted); anything else is asked again later.
      if (!(err instanceof IntegrationError) || err.status !== 404) throw err;
      person = null;
    }
    this.#users.set(key, person);
    return person;
  }

  async accountByEmail(email: string): Promise<JiraPerson | null> {
    const id = await this.#userByEmail(email);
    return id === null ? null : this.account(id);
  }

  /** Takes the first available transition whose target status category is the most preferred one. */
  /** Into a done-category status; 'already' when it is there (so retries stay idempotent). */
  async #toDone(ticket: TicketRef, operation: string): Promise<'moved' | 'already'> {
    if ((await this.#transitionTo(ticket, operation, ['done'])) === 'moved') return 'moved';
    const category = await this.#run(operation, () => this.api.getStatusCategory(ticket.key));
    if (category === 'done') return 'already';
    throw new IntegrationError(
      'jira',
      operation,
      null,
      `no transition to a done status from ${ticket.key}`,
      false,
    );
  }

  async #transitionTo(ticket: TicketRef, operation: string, categories: string[]): Promise<'moved' | 'none'> {
    const transitions = await this.#run(operation, () => this.api.getTransitions(ticket.key));
    for (const category of categories) {
      const t = transitions.find((x) => x.category === category);
      if (t) {
        await this.#run(operation, () => this.api.doTransition(ticket.key, t.id));
        return 'moved';
      }
    }
    return 'none';
  }

  #project(provider: string) {
    return this.config.projects[provider] ?? this.config.defaultProject;
  }

  /** A comment body: ADF on Cloud, wiki string on Data Center, clipped to Jira's text limit. */
  #rich(text: string): unknown {
    return this.api.flavour === 'cloud'
      ? fitText(text, (t) => doc(...paragraphs(t)), JIRA_TEXT)
      : fitText(text, (t) => escapeWiki(t), JIRA_TEXT);
  }

  async #run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toIntegrationError(operation, err, this.clock.now().getTime());
    }
  }

  #ref(issue: { id: string; key: string }): TicketRef {
    return { id: issue.id, key: issue.key, url: `${this.baseUrl}/browse/${issue.key}` };
  }
}

/** The note plus a line naming someone who could not be assigned (no Jira account for their e-mail). */
function withUnknownPerson(who: { email: string | null; name: string; note: string }): string {
  const person = who.email ? `${who.name} <${who.email}>` : who.name;
  const line = `Acknowledged by ${person} (no matching Jira user, so not assigned).`;
  return who.note ? `${who.note}\n${line}` : line;
}

/**
 * Jira refuses a description or comment above 32,767 characters (the default of
 * `jira.text.field.character.limit`, Cloud and Data Center) with 400 "The entered text is too long"; an
 * ADF document counts as its JSON. We aim below it, leaving room for what Jira adds when it stores it.
 */
/** How many of an issue's newest comments a repeated sync comment is looked for in. */
const RECENT_COMMENTS = 20;

const JIRA_TEXT: TextLimit<unknown> = {
  size: (v) => (typeof v === 'string' ? v.length : JSON.stringify(v).length),
  budget: 30_000,
};

/** ServiceNow's impact × urgency matrix (1/1→1 … 3/3→5), used to pick the Jira priority from the map. */
const priorityFor = (impact: number, urgency: number): '1' | '2' | '3' | '4' | '5' =>
  String(Math.min(5, Math.max(1, impact + urgency - 1))) as '1' | '2' | '3' | '4' | '5';
