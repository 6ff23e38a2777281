import { createHash } from 'node:crypto';
import NodeCache from 'node-cache';
import { z } from 'zod';
import type { ServiceNowConfig } from '../../src/config/servicenow';
import { IntegrationError } from '../../src/errors';
import type { SyncWrite } from '../../src/core/outbox/outbox-command';
import type { SyncField } from '../../src/core/sync/remote-change';
import { unhandled } from '../../src/core/unhandled';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import type {
  DuplicateTickets,
  SyncState,
  TicketDraft,
  TicketRef,
  TicketSystem,
  TicketSystemName,
} from '../../src/ports/ticket-system';
import type { GatedTransport } from '../lanes/remote-lane-driver';
import type { ServiceNowPeople, ServiceNowPerson } from '../../src/ports/people-directory';
import {
  createServiceNowClient,
  fromThrown,
  toIntegrationError,
  type ServiceNowApi,
  type ServiceNowClientOptions,
} from './client';
import { encodedQuery, isQueryValue, UnsafeQueryValueError } from './encoded-query';
import {
  correlationIdFor,
  incidentDescription,
  linkMarker,
  runbookNote,
  shortDescription,
} from './incident-text';

/** Reference fields come back as `{link, value}`, a bare sys_id, or '' — accept all three. */
const Ref = z
  .union([z.string(), z.looseObject({ value: z.string() })])
  .transform((r) => (typeof r === 'string' ? r : r.value));
const IncidentRow = z.looseObject({
  sys_id: z.string().regex(/^[0-9a-f]{32}$/),
  number: z.string(),
  state: z.string().optional(),
});
const Rows = <T extends z.ZodType>(row: T) => z.looseObject({ result: z.array(row) });
const SysIdRow = z.looseObject({ sys_id: z.string(), assignment_group: Ref.optional() });

const SYS_ID = /^[0-9a-f]{32}$/;

export interface ServiceNowTicketSystemOptions {
  config: ServiceNowConfig;
  /** The instance URL, or the emulator's URL when `config.instanceUrl` is absent. */
  baseUrl: string;
  /** The ServiceNow lane driver (`createServiceNowLaneDriver`): every request goes through it. */
  transport: GatedTransport;
  fetch?: typeof fetch;
  logger?: Logger;
}

/**
 * ServiceNow adapter: one incident per incident key (`correlation_id`), impact/urgency (priority is
 * computed by the instance), work notes for the runbook, notes and the Jira link.
 */
export function createServiceNowTicketSystem(
  o: ServiceNowTicketSystemOptions,
): TicketSystem & ServiceNowPeople & DuplicateTickets {
  const api = createConfiguredServiceNowClient(o);
  return new ServiceNowTicketSystem(api, o.config, o.baseUrl.replace(/\/$/, ''), o.transport.clock, o.logger);
}

/**
 * The client as `config` describes it, its credentials revealed here, its requests through the lane
 * driver's transport (concurrency, Retry-After gate). The ticket system and the SLA report's source both
 * talk through it.
 */
export function createConfiguredServiceNowClient(
  o: Pick<ServiceNowTicketSystemOptions, 'config' | 'baseUrl' | 'fetch' | 'transport'>,
): ServiceNowApi {
  return createServiceNowClient(configuredClientOptions(o));
}

/** The client options `config` describes, its secrets revealed (for the client and the raw fetch). */
export function configuredClientOptions(
  o: Pick<ServiceNowTicketSystemOptions, 'config' | 'baseUrl' | 'fetch' | 'transport'>,
): ServiceNowClientOptions {
  const { config } = o;
  // A secret left out is sent empty: the instance answers 401, reported like a wrong one. (In sandbox
  // mode the composition has filled in the sandbox's.)
  const reveal = (s: { reveal(): string } | undefined) => s?.reveal() ?? '';
  return {
    baseUrl: o.baseUrl,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    transport: o.transport,
    timeoutMs: config.timeoutMs,
    credentials:
      config.auth.type === 'basic'
        ? { type: 'basic', username: config.auth.username, password: reveal(config.auth.password) }
        : {
            type: 'oauth',
            clientId: config.auth.clientId,
            clientSecret: reveal(config.auth.clientSecret),
            username: config.auth.username,
            password: reveal(config.auth.password),
          },
  };
}

const PersonRow = z.looseObject({
  sys_id: z.string(),
  user_name: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
});

class ServiceNowTicketSystem implements TicketSystem, ServiceNowPeople, DuplicateTickets {
  readonly name = 'servicenow' as const;
  readonly #lookups: NodeCache;
  /** Set by the first 403 on sys_journal_field: the user lacks the right, asking again changes nothing. */
  #journalUnreadable = false;

  constructor(
    private readonly api: ServiceNowApi,
    private readonly config: ServiceNowConfig,
    private readonly baseUrl: string,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {
    this.#lookups = new NodeCache({ stdTTL: config.lookupCacheTtlSeconds, checkperiod: 0, useClones: false });
  }

  async findByIncidentKey(incidentKey: string): Promise<TicketRef | null> {
    const correlationId = correlationIdFor(incidentKey, sha256);
    const rows = await this.#call('findByIncidentKey', Rows(IncidentRow), () =>
      this.api.GET('/api/now/table/incident', {
        params: {
          query: {
            // Newest first: after a Closed incident we open a new one with the same key.
            sysparm_query: encodedQuery`correlation_id=${correlationId}^ORDERBYDESCsys_created_on^ORDERBYDESCnumber`,
            sysparm_fields: 'sys_id,number,state',
            sysparm_limit: 1,
            sysparm_exclude_reference_link: true,
          },
        },
      }),
    );
    const row = rows.result[0];
    return row ? this.#ref(row) : null;
  }

  /**
   * Active incidents carrying the incident key besides `keep`, oldest first. A create can be applied
   * after the look-up that preceded its retry: ServiceNow queues a transaction behind its semaphores and
   * runs it even when the client stopped waiting (docs/reliability.md). Closed and Canceled ones are not
   * twins — a key whose incident was closed gets a new one when it opens again.
   */
  async duplicatesOf(incidentKey: string, provider: string, keep: TicketRef): Promise<TicketRef[]> {
    const correlationId = correlationIdFor(incidentKey, sha256);
    const rows = await this.#call('duplicatesOf', Rows(IncidentRow), () =>
      this.api.GET('/api/now/table/incident', {
        params: {
          query: {
            sysparm_query: encodedQuery`correlation_id=${correlationId}^active=true^sys_id!=${keep.id}^ORDERBYsys_created_on`,
            sysparm_fields: 'sys_id,number,state',
            sysparm_limit: 10,
            sysparm_exclude_reference_link: true,
          },
        },
      }),
    );
    return rows.result.map((r) => this.#ref(r));
  }

  /**
   * Canceled (its SLAs are cancelled with it, not breached), with a work note naming the incident kept,
   * and the key taken off in the same PATCH, so it is never found or cancelled again.
   */
  async closeAsDuplicate(duplicate: TicketRef, keep: TicketRef): Promise<void> {
    await this.#patch('closeAsDuplicate', duplicate, {
      state: '8',
      correlation_id: '',
      correlation_display: 'itsm-bridge duplicate',
      work_notes: `Duplicate of ${keep.key}: itsm-bridge created this incident twice for one incident (ServiceNow applied a create after itsm-bridge had stopped waiting for it) and keeps ${keep.key} (${keep.url}).`,
    });
  }

  async create(draft: TicketDraft): Promise<TicketRef> {
    const group = await this.#groupOf(draft.provider);
    const caller = SYS_ID.test(this.config.caller)
      ? this.config.caller
      : await this.#lookup(
          'sys_user',
          () => encodedQuery`email=${this.config.caller}^ORuser_name=${this.config.caller}`,
          `caller "${this.config.caller}"`,
        );
    const extra: string[] = [];
    let ci: string | null = null;
    if (draft.cmdbCi) {
      ci = SYS_ID.test(draft.cmdbCi) ? draft.cmdbCi : await this.#ciByName(draft.cmdbCi);
      if (!ci)
        extra.push(
          isQueryValue(draft.cmdbCi)
            ? `Configuration item: ${draft.cmdbCi} (not found in the CMDB)`
            : `Configuration item: ${draft.cmdbCi} (not looked up: contains "^", "," or a line break)`,
        );
    }
    const body = {
      short_description: shortDescription(draft.title),
      description: incidentDescription(draft, extra, this.config.descriptionMaxLength),
      impact: String(draft.impact),
      urgency: String(draft.urgency),
      assignment_group: group ?? undefined,
      caller_id: caller ?? undefined,
      cmdb_ci: ci ?? undefined,
      correlation_id: correlationIdFor(draft.incidentKey, sha256),
      correlation_display: 'itsm-bridge',
      // Sent with the insert so the checklist is there from the first second, in one request.
      work_notes: draft.runbook ? runbookNote(draft.runbook) : undefined,
    };
    const created = await this.#call('create', z.looseObject({ result: IncidentRow }), () =>
      this.api.POST('/api/now/table/incident', {
        params: { query: { sysparm_fields: 'sys_id,number,state', sysparm_exclude_reference_link: true } },
        body,
      }),
    );
    this.logger?.info('servicenow incident created', {
      number: created.result.number,
      incidentKey: draft.incidentKey,
    });
    return this.#ref(created.result);
  }

  async addNote(ticket: TicketRef, text: string): Promise<void> {
    await this.#patch('addNote', ticket, { work_notes: text });
  }

  async resolve(ticket: TicketRef, resolution: { code: string; notes: string }): Promise<void> {
    try {
      await this.#patch('resolve', ticket, {
        state: '6',
        close_code: resolution.code || this.config.closeCode,
        close_notes: resolution.notes || 'Resolved by itsm-bridge: all alerts recovered.',
      });
    } catch (err) {
      // A Closed/Canceled incident is read-only (403); it is already past Resolved, so this is a no-op.
      if (
        err instanceof IntegrationError &&
        err.status === 403 &&
        ['7', '8'].includes(await this.#state(ticket))
      )
        return;
      throw err;
    }
  }

  /**
   * A sync write as one PATCH: the text into `work_notes` or `comments`, the lifecycle fields (a state
   * already reached is not written again), or one field set back. Closed / Canceled incidents are
   * read-only and get nothing.
   */
  async writeSync(ticket: TicketRef, write: SyncWrite, opts: { repeat?: boolean } = {}): Promise<void> {
    const op = 'sync';
    switch (write.type) {
      case 'comment': {
        const element = write.visibility === 'customer' ? 'comments' : 'work_notes';
        // A repeat looks among the incident's newest entries of that kind for the same text first.
        if (
          opts.repeat &&
          (await this.#journalHas(
            op,
            encodedQuery`element_id=${ticket.id}^element=${element}^ORDERBYDESCsys_created_on`,
            20,
            (value) => value === write.text,
          ))
        )
          return;
        await this.#patch(op, ticket, { [element]: write.text });
        return;
      }
      case 'state': {
        const state = await this.#state(ticket);
        if (state === write.state || state === '7' || state === '8') return;
        await this.#patch(op, ticket, {
          state: write.state,
          ...(write.holdReason !== null ? { hold_reason: write.holdReason } : {}),
          ...(write.closeCode !== null ? { close_code: write.closeCode } : {}),
          ...(write.closeNotes !== null ? { close_notes: write.closeNotes } : {}),
        });
        return;
      }
      case 'field': {
        const column = SYNC_COLUMNS[write.field];
        if (!column)
          throw new IntegrationError('servicenow', op, null, `the sync does not write ${write.field}`, false);
        try {
          await this.#patch(op, ticket, { [column]: write.value ?? '' });
        } catch (err) {
          // An instance may refuse an assignee outside the assignment group (a business rule or data
          // policy aborts the update, 400/403): asking again changes nothing, the timeline says why.
          if (write.field !== 'assignedTo' || !(err instanceof IntegrationError) || !refused(err)) throw err;
          throw new IntegrationError(
            'servicenow',
            op,
            err.status,
            `ServiceNow refused assigned_to (is the user a member of the incident's assignment group?): ${err.message}`,
            false,
          );
        }
        return;
      }
      case 'transition':
        throw new IntegrationError('servicenow', op, null, 'a Jira transition sent to ServiceNow', false);
      case 'attachment':
        // Bytes move between the two systems: runTicketCommand copies them (copyAttachment).
        throw new IntegrationError('servicenow', op, null, 'an attachment copy is not a field write', false);
      default:
        return unhandled(write);
    }
  }

  async syncState(ticket: TicketRef): Promise<SyncState | null> {
    try {
      const res = await this.#call(
        'syncState',
        z.looseObject({
          result: z.looseObject({ state: z.string().optional(), hold_reason: z.string().optional() }),
        }),
        () =>
          this.api.GET('/api/now/table/incident/{sys_id}', {
            params: { path: { sys_id: ticket.id }, query: { sysparm_fields: 'sys_id,state,hold_reason' } },
          }),
      );
      return { state: res.result.state ?? '', holdReason: res.result.hold_reason || null };
    } catch (err) {
      if (err instanceof IntegrationError && err.status === 404) return null;
      throw err;
    }
  }

  async reopen(ticket: TicketRef, note: string): Promise<'reopened' | 'closed'> {
    const state = await this.#state(ticket);
    if (state === '7' || state === '8') return 'closed';
    await this.#patch(
      'reopen',
      ticket,
      state === '6' ? { state: '2', work_notes: note } : { work_notes: note },
    );
    return 'reopened';
  }

  async linkTo(
    ticket: TicketRef,
    other: { system: TicketSystemName; key: string; url: string },
  ): Promise<void> {
    const marker = linkMarker(other.system, other.key);
    const query = encodedQuery`element_id=${ticket.id}^element=work_notes^valueLIKE${marker}`;
    if (await this.#journalHas('linkTo', query, 1, () => true)) return;
    const label = other.system === 'jira' ? 'Jira issue' : 'ServiceNow incident';
    await this.#patch('linkTo', ticket, { work_notes: `${label} ${other.key}: ${other.url}\n${marker}` });
  }

  /**
   * Whether one of the first `limit` journal entries of `query` has a value `match` accepts: what keeps
   * linkTo and a repeated sync comment idempotent. Reading sys_journal_field needs rights a non-admin
   * integration user may lack (403 "Insufficient rights to query records"): then the check is skipped —
   * said once in the log — and the note written, so a retry may note twice instead of never.
   */
  async #journalHas(
    op: string,
    query: string,
    limit: number,
    match: (value: string) => boolean,
  ): Promise<boolean> {
    if (this.#journalUnreadable) return false;
    try {
      const existing = await this.#call(
        op,
        Rows(z.looseObject({ sys_id: z.string(), value: z.string().optional() })),
        () =>
          this.api.GET('/api/now/table/sys_journal_field', {
            params: {
              query: { sysparm_query: query, sysparm_fields: 'sys_id,value', sysparm_limit: limit },
            },
          }),
      );
      return existing.result.some((r) => match(r.value ?? ''));
    } catch (err) {
      if (!(err instanceof IntegrationError) || err.status !== 403) throw err;
      this.#journalUnreadable = true;
      this.logger?.warn(
        'servicenow: the integration user may not read sys_journal_field; link notes and retried sync comments are written without the duplicate check (grant read on sys_journal_field, see docs/ticket-systems.md)',
        { error: err.message },
      );
      return false;
    }
  }

  /**
   * State 2 + `assigned_to` + the work note in one PATCH. Resolved (6): only the note — an acknowledgement
   * never reopens. Closed (7) / Canceled (8) are read-only: nothing is written. A person without a
   * sys_user (or without an e-mail) is named in the note instead of being assigned.
   */
  async acknowledge(
    ticket: TicketRef,
    who: { email: string | null; name: string; note: string },
  ): Promise<void> {
    const state = await this.#state(ticket);
    if (state === '7' || state === '8') return;
    if (state === '6') {
      if (who.note) await this.#patch('acknowledge', ticket, { work_notes: who.note });
      return;
    }
    const user = await this.#userByEmail(who.email);
    await this.#patch('acknowledge', ticket, {
      state: '2',
      ...(user ? { assigned_to: user } : {}),
      work_notes: user ? who.note : withUnknownPerson(who),
    });
  }

  /**
   * Hand-off accepted: the provider's assignment group, the person who accepted (or nobody), and the
   * note as a work note, in one PATCH. Closed (7) / Canceled (8) are read-only: nothing is written.
   */
  async reassign(
    ticket: TicketRef,
    to: { provider: string; email: string | null; name: string | null; note: string },
  ): Promise<void> {
    const state = await this.#state(ticket);
    if (state === '7' || state === '8') return;
    const group = await this.#groupOf(to.provider);
    const user = await this.#userByEmail(to.email);
    await this.#patch('reassign', ticket, {
      ...(group ? { assignment_group: group } : {}),
      assigned_to: user ?? '',
      work_notes: to.note,
    });
  }

  /** The provider's assignment group → sys_id (the configured name must exist). */
  #groupOf(provider: string): Promise<string | null> {
    const name = this.config.assignmentGroups[provider] ?? this.config.defaultAssignmentGroup;
    return this.#lookup('sys_user_group', () => encodedQuery`name=${name}`, `assignment group "${name}"`);
  }

  /**
   * CI name (the alert's host) → sys_id. A name that would change the encoded query is not looked up at
   * all — refusing is the only safe choice, as `^` cannot be escaped — and the incident gets no CI. Logged
   * once per name while the look-up cache keeps the answer.
   */
  async #ciByName(name: string): Promise<string | null> {
    if (isQueryValue(name)) return this.#lookup('cmdb_ci', () => encodedQuery`name=${name}`, null);
    const key = `cmdb_ci?unsafe:${name}`;
    if (this.#lookups.get(key) === undefined) {
      this.logger?.warn('servicenow CI not looked up: the host name would change the encoded query', {
        host: name.slice(0, 200),
      });
      this.#lookups.set(key, null);
    }
    return null;
  }

  /** Active sys_user by e-mail → sys_id, cached like the other look-ups; null when absent or not found. */
  async #userByEmail(email: string | null): Promise<string | null> {
    const e = email?.trim() ?? '';
    // `^` and `,` would change the encoded query; no real address contains them (nor white space).
    if (!e || /\s/.test(e) || !isQueryValue(e)) return null;
    return this.#lookup('sys_user', () => encodedQuery`active=true^email=${e}`, null);
  }

  userByEmail(email: string): Promise<ServiceNowPerson | null> {
    const e = email.trim();
    return /\s/.test(e) || !e ? Promise.resolve(null) : this.#person('email', e);
  }

  userByUserName(userName: string): Promise<ServiceNowPerson | null> {
    return this.#person('user_name', userName);
  }

  userByName(name: string): Promise<ServiceNowPerson | null> {
    return this.#person('name', name);
  }

  /**
   * The one active sys_user whose column equals `value`, cached like the other look-ups; null when
   * none or several match (a wrong person is worse than none) or when the value cannot go into an
   * encoded query.
   */
  async #person(column: 'email' | 'user_name' | 'name', value: string): Promise<ServiceNowPerson | null> {
    if (!value || !isQueryValue(value)) return null;
    const key = `sys_user?person:${column}=${value}`;
    const cached = this.#lookups.get<ServiceNowPerson | null>(key);
    if (cached !== undefined) return cached;
    const rows = await this.#call('look up person', Rows(PersonRow), () =>
      this.api.GET('/api/now/table/sys_user', {
        params: {
          query: {
            sysparm_query: encodedQuery`active=true^${column}=${value}`,
            sysparm_fields: 'sys_id,user_name,name,email',
            sysparm_limit: 2,
          },
        },
      }),
    );
    const [row, second] = rows.result;
    const person: ServiceNowPerson | null =
      row && !second
        ? {
            sysId: row.sys_id,
            userName: row.user_name ?? '',
            name: row.name || row.user_name || row.sys_id,
            email: row.email || null,
          }
        : null;
    this.#lookups.set(key, person);
    return person;
  }

  async #state(ticket: TicketRef): Promise<string> {
    const res = await this.#call('getState', z.looseObject({ result: IncidentRow }), () =>
      this.api.GET('/api/now/table/incident/{sys_id}', {
        params: { path: { sys_id: ticket.id }, query: { sysparm_fields: 'sys_id,number,state' } },
      }),
    );
    return res.result.state ?? '';
  }

  async #patch(operation: string, ticket: TicketRef, body: Record<string, string>): Promise<void> {
    await this.#call(operation, z.looseObject({ result: z.looseObject({ sys_id: z.string() }) }), () =>
      this.api.PATCH('/api/now/table/incident/{sys_id}', {
        params: {
          path: { sys_id: ticket.id },
          query: { sysparm_fields: 'sys_id', sysparm_exclude_reference_link: true },
        },
        body,
      }),
    );
  }

  /** Name → sys_id, cached. `what` null = optional (null when missing); otherwise a missing row is a config error. */
  async #lookup(
    table: 'sys_user_group' | 'sys_user' | 'cmdb_ci',
    build: () => string,
    what: string | null,
  ): Promise<string | null> {
    let query: string;
    try {
      query = build();
    } catch (err) {
      // Only configured names get here unchecked (group, caller): a configuration error, not retryable.
      if (!(err instanceof UnsafeQueryValueError)) throw err;
      throw new IntegrationError('servicenow', 'create', null, `${what ?? table}: ${err.message}`, false);
    }
    const key = `${table}?${query}`;
    const cached = this.#lookups.get<string | null>(key);
    if (cached !== undefined) return cached;
    const rows = await this.#call(`lookup ${table}`, Rows(SysIdRow), () =>
      this.api.GET(`/api/now/table/${table}`, {
        params: { query: { sysparm_query: query, sysparm_fields: 'sys_id', sysparm_limit: 1 } },
      }),
    );
    const id = rows.result[0]?.sys_id ?? null;
    if (!id && what) {
      throw new IntegrationError(
        'servicenow',
        'create',
        null,
        `${what} not found — check the servicenow config`,
        false,
      );
    }
    this.#lookups.set(key, id);
    return id;
  }

  /** Runs one call, turning HTTP failures, thrown errors and schema mismatches into IntegrationError. */
  async #call<T extends z.ZodType>(
    operation: string,
    schema: T,
    run: () => Promise<{ data?: unknown; error?: unknown; response: Response }>,
  ): Promise<z.infer<T>> {
    let out: { data?: unknown; error?: unknown; response: Response };
    try {
      out = await run();
    } catch (err) {
      throw fromThrown(operation, err);
    }
    if (!out.response.ok)
      throw toIntegrationError(
        operation,
        { response: out.response, error: out.error },
        this.clock.now().getTime(),
      );
    const parsed = schema.safeParse(out.data);
    if (!parsed.success) {
      throw new IntegrationError(
        'servicenow',
        operation,
        out.response.status,
        `unexpected response: ${parsed.error.message}`,
        false,
      );
    }
    return parsed.data;
  }

  #ref(row: { sys_id: string; number: string }): TicketRef {
    return {
      id: row.sys_id,
      key: row.number,
      url: `${this.baseUrl}/nav_to.do?uri=incident.do%3Fsys_id%3D${row.sys_id}`,
    };
  }
}

/** The note plus a line naming someone who could not be assigned (no remote user for their e-mail). */
function withUnknownPerson(who: { email: string | null; name: string; note: string }): string {
  const person = who.email ? `${who.name} <${who.email}>` : who.name;
  const line = `Acknowledged by ${person} (no matching ServiceNow user, so not assigned).`;
  return who.note ? `${who.note}\n${line}` : line;
}

/** 400 (data policy) or 403 (a business rule aborted the update): the instance refused the value. */
const refused = (err: IntegrationError): boolean => err.status === 400 || err.status === 403;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The incident column a synced field is written to (priority follows impact and urgency in ServiceNow). */
const SYNC_COLUMNS: Partial<Record<SyncField, string>> = {
  state: 'state',
  holdReason: 'hold_reason',
  impact: 'impact',
  urgency: 'urgency',
  assignmentGroup: 'assignment_group',
  assignedTo: 'assigned_to',
  closeCode: 'close_code',
  closeNotes: 'close_notes',
};
