import { randomBytes } from 'node:crypto';
import { retryDelaySeconds } from '../core/outbox/retry-delay';
import type { Clock } from '../ports/clock';
import type { LaneDriver } from '../ports/lane-driver';
import type { Logger } from '../ports/logger';
import type { Metrics } from '../ports/metrics';
import { isChatLane, isTicketLane } from '../core/outbox/outbox-command';
import type { TicketOutcomeType, TimelineEvent } from '../core/incident/timeline-event';
import {
  type ChatLane,
  type ClaimedCommand,
  type Lane,
  type OutboxCommand,
  type Store,
  type Transactional,
  type UnitOfWork,
} from '../ports/store';
import { NO_INCIDENT, offerKey, type CommandOutcome, type LaneRunner } from './lane-runner';
import { isTicketCommand, withTicket } from './run-ticket-command';
import { enqueueChatSync, enqueueTicketCommands, unblockNote } from './enqueue-ticket-commands';
import { recordEvent } from './record-event';
import { withRequestId } from './request-context';

/** One remote system's lane: how to run its commands, and the system's driver they run through. */
export interface LaneSpec {
  run: LaneRunner;
  /** The system's limiter, Retry-After gate and failure table (shared with its adapter). */
  driver: LaneDriver;
}

export interface OutboxWorkerDeps {
  store: Transactional & Pick<Store, 'incidents'>;
  clock: Clock;
  logger: Logger;
  /** Chat platforms whose message should be redrawn when a ticket is created (to show its link). */
  chatLanes: ChatLane[];
  chatInterval: number;
  maxBackoff: number;
  pollMs: number;
  random?: () => number;
  /** Counts each attempt's outcome and the chat messages posted (after their commit). */
  metrics?: Pick<Metrics, 'outboxCommand' | 'chatMessage'>;
  /** Names this worker's claims (default: random per worker, so every process has its own). */
  instanceId?: string;
  /** How long a claim holds without a heartbeat (default 30 s; renewed every third of it). */
  leaseMs?: number;
}

/** The claim on a command was lost (its lease ran out and another worker claimed it): nothing recorded. */
class LostClaim extends Error {
  constructor(readonly cmd: ClaimedCommand) {
    super(`the claim ${cmd.claim} on outbox command ${cmd.id} is no longer current`);
  }
}

const DEFAULT_LEASE_MS = 30_000;

interface LaneState {
  run: LaneRunner;
  /** No command of this lane starts while the driver's gate is closed (the remote's Retry-After). */
  driver: LaneDriver;
  /** Claimed commands not yet recorded: id → claim number (renewed by the heartbeat). */
  inFlight: Map<number, number>;
  /** The last poll found a full batch: more are likely due, so poll again once the batch is done. */
  backlog: boolean;
  /**
   * Slow start: a cold lane (just started, or just told to back off with Retry-After) sends one request
   * and opens up to its concurrency only after that one succeeded, so a burst never lands on a remote
   * that is rate-limiting or still unknown.
   */
  warm: boolean;
}

const ACTOR = 'job:outbox';

/** The timeline events the worker writes: a ticket command's outcome, or a parked command. */
type OutboxEvent = Extract<TimelineEvent, { type: TicketOutcomeType | 'ticket_parked' }>;

/**
 * Executes outbox commands, one lane per remote system so a ServiceNow outage never delays Jira. A
 * command is claimed before it runs (a lease of `leaseMs`, renewed by a heartbeat while it runs), and
 * its outcome is recorded only under the same claim: with several instances on one database each
 * command runs on one of them, one per incident and lane at a time, a dead instance's claims run out
 * and are taken over, and an instance that stalled past its lease cannot record a stale outcome. Each
 * command runs through its system's driver (limiter, Retry-After gate); while the remote's Retry-After
 * has not passed the whole lane waits; other retryable failures back off per command; permanent
 * failures park the command (visible on the incident and in /readyz; `itsm-bridge replay` re-queues
 * them).
 */
export class OutboxWorker {
  readonly #lanes = new Map<Lane, LaneState>();
  /** Commands started and not yet recorded, for `stop()`. */
  readonly #running = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  readonly #owner: string;
  readonly #leaseMs: number;
  #polling: Promise<void> | null = null;
  #stopped = false;
  #again = false;

  constructor(private readonly deps: OutboxWorkerDeps) {
    this.#owner = deps.instanceId ?? `outbox-${randomBytes(6).toString('hex')}`;
    this.#leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * Adds a remote system's lane (before `start`). The worker exists before its lanes so that what
   * queues work (correlation, chat actions) can wake it while the lanes are still being wired.
   */
  addLane(lane: Lane, spec: LaneSpec): void {
    if (this.#timer) throw new Error(`outbox already started; cannot add the ${lane} lane`);
    if (this.#lanes.has(lane)) throw new Error(`the ${lane} lane is already there`);
    this.#lanes.set(lane, {
      run: spec.run,
      driver: spec.driver,
      inFlight: new Map(),
      backlog: false,
      warm: false,
    });
  }

  /**
   * Before the first start: frees the claims a killed predecessor left under this worker's owner name
   * (SQLite's single instance always has the same one), so its commands run now, not after their lease.
   */
  async recoverClaims(): Promise<number> {
    const n = await this.deps.store.unitOfWork((uow) => uow.outbox.releaseHeldBy(this.#owner));
    if (n > 0) this.deps.logger.info('outbox claims of a previous run released', { commands: n });
    return n;
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.wake(), this.deps.pollMs);
    this.#timer.unref();
    this.#heartbeat = setInterval(() => void this.#renew(), Math.max(100, Math.floor(this.#leaseMs / 3)));
    this.#heartbeat.unref();
  }

  /** This worker's claims, held until a lease from now. */
  #lease() {
    const until = new Date(this.deps.clock.now().getTime() + this.#leaseMs).toISOString();
    return { owner: this.#owner, until };
  }

  /** The heartbeat: extends the claims of every command this worker still has in flight. */
  async #renew(): Promise<void> {
    const ids = [...this.#lanes.values()].flatMap((l) => [...l.inFlight.keys()]);
    if (ids.length === 0) return;
    try {
      await this.deps.store.unitOfWork((uow) => uow.outbox.renew(ids, this.#lease()));
    } catch (err) {
      this.deps.logger.warn('outbox lease renewal failed', { error: (err as Error).message });
    }
  }

  /** Gives a claim up without an outcome (not run after all), so any worker may take it at once. */
  async #release(cmd: ClaimedCommand): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.store.unitOfWork((uow) =>
      uow.outbox.updateClaimed(cmd.id, cmd.claim, { updatedAt: now, release: true }),
    );
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#polling) {
      // A poll is running and may already have read the lanes: poll again right after it.
      this.#again = true;
      return;
    }
    this.#polling = this.#poll().finally(() => {
      this.#polling = null;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  /** Runs until nothing is due (tests); respects pauses and backoff like the background loop. */
  async drain(maxMs = 30_000): Promise<void> {
    // Elapsed real time, not the clock: a test's manual clock must not make this wait forever.
    const until = performance.now() + maxMs;
    while (performance.now() < until) {
      await this.#poll();
      while ([...this.#lanes.values()].some((l) => l.inFlight.size > 0))
        await new Promise((r) => setTimeout(r, 10));
      const now = this.deps.clock.now().toISOString();
      const due = await this.deps.store.unitOfWork(async (uow) => {
        let n = 0;
        for (const lane of this.#lanes.keys()) n += (await uow.outbox.due(lane, now, 1)).length;
        return n;
      });
      if (due === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops claiming commands and waits for those whose remote call has started (and their commit). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#polling;
    await Promise.all(this.#running);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }

  async #poll(): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    for (const [lane, state] of this.#lanes) {
      if (state.driver.isPaused()) continue;
      const max = state.driver.concurrency * 2;
      // Claim only what this worker will run now: a cold lane one command, and never more in flight
      // than twice the lane's concurrency (the rest stays free for other instances).
      const limit = state.warm ? max - state.inFlight.size : state.inFlight.size > 0 ? 0 : 1;
      const claimed = await this.deps.store.unitOfWork((uow) =>
        uow.outbox.claim(lane, now, limit, this.#lease()),
      );
      state.backlog = state.warm && claimed.length >= limit;
      for (const cmd of claimed) {
        state.inFlight.set(cmd.id, cmd.claim);
        // The remote call's log lines name the request that caused the command.
        const running = state.driver
          .run(() => withRequestId(cmd.requestId, () => this.#runOne(lane, state, cmd)))
          .catch(async (err: unknown) => {
            if (err instanceof LostClaim) return this.#lost(err);
            this.deps.logger.error('outbox command crashed', { id: cmd.id, error: (err as Error).message });
            // Not held until the lease runs out: the next poll may try it again.
            await this.#release(cmd).catch(() => {});
          })
          .finally(() => {
            state.inFlight.delete(cmd.id);
            this.#running.delete(running);
            // A backlog drains at the remote's pace, not one batch per poll interval.
            if (state.backlog && state.inFlight.size === 0) this.wake();
          });
        this.#running.add(running);
      }
    }
  }

  async #runOne(lane: Lane, state: LaneState, cmd: ClaimedCommand): Promise<void> {
    // A 429 for another command may have arrived while this one waited in the limiter; and after
    // `stop()` (shutdown) nothing new goes out: the command stays pending (unclaimed) for the next start.
    if (state.driver.isPaused() || this.#stopped) return this.#release(cmd);
    const incident =
      cmd.incidentId === NO_INCIDENT ? null : await this.deps.store.incidents.get(cmd.incidentId);
    if (!incident && cmd.incidentId !== NO_INCIDENT)
      return this.#finish(cmd, { summary: 'incident no longer exists' });
    if (cmd.kind === 'create' || (cmd.kind === 'sync' && cmd.payload.write.type === 'comment')) {
      // Write-ahead: record the attempt BEFORE the remote call. If we crash after the remote created the
      // ticket but before our commit, the restarted worker sees attempts > 0 and looks the ticket up by
      // our key instead of creating a second one.
      const now = this.deps.clock.now().toISOString();
      const held = await this.deps.store.unitOfWork((uow) =>
        uow.outbox.updateClaimed(cmd.id, cmd.claim, { attempts: cmd.attempts + 1, updatedAt: now }),
      );
      if (!held) return this.#lost(new LostClaim(cmd));
    }
    try {
      const outcome = await state.run(cmd, incident);
      await this.#finish(cmd, outcome);
      this.deps.logger.info('outbox command done', {
        lane,
        kind: cmd.kind,
        id: cmd.id,
        incidentId: cmd.incidentId,
        summary: outcome.summary,
      });
      if (!state.warm) {
        state.warm = true;
        this.wake();
      }
    } catch (err) {
      await this.#fail(lane, state, cmd, err);
    }
  }

  /** A stale outcome, dropped: the command's current claim belongs to another run. */
  #lost(err: LostClaim): void {
    this.deps.logger.warn('outbox claim lost; outcome not recorded', {
      id: err.cmd.id,
      lane: err.cmd.lane,
      claim: err.cmd.claim,
    });
  }

  /** Marks the command done and applies its local effects in one transaction, with timeline and audit. */
  async #finish(cmd: ClaimedCommand, outcome: CommandOutcome): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    let chat: 'posted' | 'updated' | null = null;
    await this.deps.store.unitOfWork(async (uow) => {
      const held = await uow.outbox.updateClaimed(cmd.id, cmd.claim, {
        state: 'done',
        attempts: cmd.attempts + 1,
        lastError: null,
        updatedAt: now,
        release: true,
      });
      // Rolls the whole outcome back: its ticket, chat message and timeline belong to the current claim.
      if (!held) throw new LostClaim(cmd);
      const inc = await uow.incidents.get(cmd.incidentId);
      if (!inc) return;
      if ((outcome.chat || outcome.shadowChat) && isChatLane(cmd.lane)) {
        if (outcome.chat) chat = inc.chat[cmd.lane] ? 'updated' : 'posted';
        const owner = outcome.chat ? { [cmd.lane]: outcome.chat } : {};
        // Transition mode: the shadow provider's copy, even where the owner has no channel here.
        const shadow = outcome.shadowChat
          ? { shadow: { ...inc.chat.shadow, [cmd.lane]: outcome.shadowChat } }
          : {};
        await uow.incidents.update(inc.id, { chat: { ...inc.chat, ...owner, ...shadow } });
      }
      if (outcome.offer && isChatLane(cmd.lane)) {
        const key = offerKey(cmd.lane, outcome.offer.handoffId);
        const offers = { ...inc.chat.offers, [key]: outcome.offer.ref };
        await uow.incidents.update(inc.id, { chat: { ...inc.chat, offers } });
      }
      if (outcome.ticket !== undefined && isTicketLane(cmd.lane)) {
        const tickets = withTicket(inc.tickets, cmd.lane, outcome.ticket);
        await uow.incidents.update(inc.id, { tickets, updatedAt: now });
        if (cmd.kind === 'create' && tickets.servicenow && tickets.jira) {
          for (const lane of ['servicenow', 'jira'] as const) {
            const link = { kind: 'link', payload: {} } as const;
            const queued = await unblockNote(uow, { incidentId: inc.id, lane, command: link, now });
            await uow.outbox.enqueue({
              incidentId: inc.id,
              lane,
              ...queued,
              notBefore: now,
              at: now,
              requestId: cmd.requestId,
            });
          }
        }
      }
      if (outcome.recreate && isTicketLane(cmd.lane))
        await enqueueTicketCommands(
          uow,
          { lanes: [cmd.lane], groupWait: 0, noteInterval: 0 },
          { incidentId: inc.id, command: { kind: 'create', payload: {} }, now, chat: 'now' },
        );
      // A new ticket link belongs on the chat message.
      if (outcome.ticket)
        await enqueueChatSync(uow, { chatLanes: this.deps.chatLanes }, inc.id, now, this.deps.chatInterval);
      if (!isTicketCommand(cmd)) {
        // Chat messages are not ticket changes: audited, but kept off the timeline (which they mirror).
        if (outcome.chat && isChatLane(cmd.lane) && !inc.chat[cmd.lane])
          await uow.audit.append({
            at: now,
            actor: ACTOR,
            action: 'chat.posted',
            subject: `incident:${cmd.incidentId}`,
            data: { lane: cmd.lane, channel: outcome.chat.channel, ts: outcome.chat.ts },
          });
        if (outcome.offer)
          await uow.audit.append({
            at: now,
            actor: ACTOR,
            action: 'chat.handoff_posted',
            subject: `incident:${cmd.incidentId}`,
            data: { lane: cmd.lane, handoffId: outcome.offer.handoffId, ...outcome.offer.ref },
          });
        return;
      }
      const type: TicketOutcomeType = `ticket_${cmd.kind}`;
      await this.#record(uow, cmd, now, `${cmd.lane}: ${outcome.summary}`, {
        type,
        data: { commandId: cmd.id, ...(outcome.ticket ? { ticket: outcome.ticket.key } : {}) },
      });
    });
    this.deps.metrics?.outboxCommand({ lane: cmd.lane, kind: cmd.kind, outcome: 'done' });
    if (chat) this.deps.metrics?.chatMessage({ platform: cmd.lane, kind: chat });
  }

  async #fail(lane: Lane, state: LaneState, cmd: ClaimedCommand, err: unknown): Promise<void> {
    // The outcome's own recording lost the claim: nothing to retry from here.
    if (err instanceof LostClaim) throw err;
    const nowMs = this.deps.clock.now().getTime();
    const now = new Date(nowMs).toISOString();
    // The driver says what the failure means; its transport has already closed the gate on a throttle.
    const failure = state.driver.classify(err);
    const retryable = failure.kind !== 'permanent';
    const retryAfter = failure.retryAfterSeconds;
    const message = failure.message;
    if (failure.throttled) state.warm = false;
    await this.deps.store.unitOfWork(async (uow) => {
      if (!retryable) {
        const held = await uow.outbox.updateClaimed(cmd.id, cmd.claim, {
          state: 'parked',
          attempts: cmd.attempts + 1,
          lastError: message,
          updatedAt: now,
          release: true,
        });
        if (!held) throw new LostClaim(cmd);
        await this.#record(
          uow,
          cmd,
          now,
          `${lane} ${cmd.kind} parked: ${message}. Fix the cause, then run "itsm-bridge replay".`,
          { type: 'ticket_parked', data: { commandId: cmd.id } },
        );
        return;
      }
      const delay = retryDelaySeconds({
        attempts: cmd.attempts + 1,
        retryAfterSeconds: retryAfter,
        maxBackoff: this.deps.maxBackoff,
        random: this.deps.random ?? Math.random,
      });
      const held = await uow.outbox.updateClaimed(cmd.id, cmd.claim, {
        attempts: cmd.attempts + 1,
        lastError: message,
        notBefore: new Date(nowMs + delay * 1000).toISOString(),
        updatedAt: now,
        release: true,
      });
      if (!held) throw new LostClaim(cmd);
      // The gate holds the lane in this process; the stored times hold it across a restart.
      if (failure.throttled && retryAfter !== null)
        await uow.outbox.deferLane(lane, new Date(nowMs + retryAfter * 1000).toISOString(), now);
    });
    this.deps.metrics?.outboxCommand({ lane, kind: cmd.kind, outcome: retryable ? 'retry' : 'parked' });
    this.deps.logger.warn('outbox command failed', {
      lane,
      kind: cmd.kind,
      id: cmd.id,
      retryable,
      failure: failure.kind,
      error: message,
    });
  }

  async #record(
    uow: Pick<UnitOfWork, 'timeline' | 'audit'>,
    cmd: OutboxCommand,
    at: string,
    reason: string,
    event: OutboxEvent,
  ) {
    await recordEvent(uow, {
      ...event,
      incidentId: cmd.incidentId,
      at,
      actor: ACTOR,
      reason,
      audit: { lane: cmd.lane, reason, ...event.data },
      action: `ticket.${event.type.replace(/^ticket_/, '')}`,
    });
  }
}
