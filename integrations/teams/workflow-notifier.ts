import { randomUUID } from 'node:crypto';
import type { Secret } from '../../src/config/secret';
import { IntegrationError } from '../../src/errors';
import type { ChatIncident, ChatMessageRef, ChatNotifier } from '../../src/ports/chat';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import {
  adaptiveCard,
  cardAttachment,
  escapeMarkdown,
  text as textBlock,
  type AdaptiveCard,
} from './presenters/adaptive-card';
import { stateKey } from './presenters/format';
import { incidentCard } from './presenters/incident-card';
import { handoffOfferCard } from './presenters/handoff-cards';
import { stateChangeCard } from './presenters/state-change-card';
import { parseRetryAfter } from '../http/retry-after';
import { isRetryableStatus } from './teams-error';

export interface WorkflowNotifierOptions {
  /** The Workflows "When a Teams webhook request is received" URL. It is signed: a secret, never logged. */
  url: Secret;
  /** Per-channel flows (channel name → URL); channels not listed use `url`. */
  channels?: Record<string, Secret>;
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Reads an HTTP-date Retry-After. */
  clock: Clock;
}

/**
 * Notify-only Teams (DESIGN.md §1, api-facts §8.2): cards go to a Power Automate Workflows webhook, which
 * posts them as the flow bot. There is no message id and no way to edit or thread, so:
 * - `post` returns a synthetic ref (`workflow:<uuid>:<state>`) that only this notifier understands;
 * - `update` posts a short state-change card ("INC… resolved") when the visible state changed since the
 *   last card for that ref, and nothing otherwise (redraws for alert counts or runbook steps would flood
 *   the channel);
 * - `reply` posts nothing: timeline events without threads are noise. It is logged at debug level.
 * - `notify` (escalations) posts a short card into the channel naming the people: a webhook cannot
 *   mention or send a direct message, so the channel is where the message must be seen.
 */
export function createWorkflowNotifier(opts: WorkflowNotifierOptions): ChatNotifier {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Last state posted per ref; after a restart the state encoded in the ref stands in (one repeat at most).
  const lastState = new Map<string, string>();

  async function send(channel: string, operation: string, card: AdaptiveCard): Promise<void> {
    const url = opts.channels?.[channel] ?? opts.url;
    const payload = { type: 'message', attachments: [cardAttachment(card)] };
    let res: Response;
    try {
      res = await doFetch(url.reveal(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // fetch errors can carry the URL in their cause; name the failure only.
      const reason =
        (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'network error';
      throw new IntegrationError(
        'teams',
        operation,
        null,
        `workflow webhook for ${channel}: ${reason}`,
        true,
      );
    }
    const body = await res.text().catch(() => '');
    if (res.ok) return; // Workflows answers 202 Accepted; any 2xx will do (Alertmanager's msteamsv2 does the same).
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), opts.clock.now().getTime());
    throw new IntegrationError(
      'teams',
      operation,
      res.status,
      `workflow webhook for ${channel} answered ${res.status}${describe(body)}`,
      isRetryableStatus(res.status),
      retryAfter,
    );
  }

  return {
    platform: 'teams',
    async post(channel, incident) {
      await send(channel, 'post', incidentCard(incident, { interactive: false }));
      const ts = `workflow:${randomUUID()}:${stateKey(incident)}`;
      lastState.set(ts, stateKey(incident));
      return { channel, ts };
    },
    async update(ref: ChatMessageRef, incident: ChatIncident) {
      const previous = lastState.get(ref.ts) ?? /^workflow:[^:]+:(\w+)$/.exec(ref.ts)?.[1];
      const now = stateKey(incident);
      if (previous === now) return;
      await send(ref.channel, 'update', stateChangeCard(incident));
      lastState.set(ref.ts, now);
    },
    /** The summary as a card (a webhook cannot carry a button back); a direct message is not possible. */
    async postShift(to, message) {
      if (!('channel' in to)) {
        opts.logger.debug('teams workflow: shift handover DM dropped (a webhook cannot send one)', {
          handoverId: message.handoverId,
        });
        return;
      }
      await send(
        to.channel,
        'shift',
        adaptiveCard([textBlock(escapeMarkdown(message.text))], [], message.text),
      );
    },
    async notify(to, message) {
      const channel = 'thread' in to ? to.thread.channel : 'channel' in to ? to.channel : to.via;
      if (!channel) throw new IntegrationError('teams', 'notify', null, 'no channel to notify in', false);
      const names = message.mentions.map((m) => m.name).join(', ');
      const line = names ? `${names}: ${message.text}` : message.text;
      await send(
        channel,
        'notify',
        adaptiveCard([textBlock(escapeMarkdown(line), { weight: 'Bolder' })], [], line),
      );
    },
    /** The offer without buttons (a webhook cannot carry a click back): it names the commands. */
    async postOffer(channel, offer) {
      await send(channel, 'offer', handoffOfferCard(offer, { interactive: false }));
      const ts = `workflow:${randomUUID()}:${offer.state}`;
      lastState.set(ts, offer.state);
      return { channel, ts };
    },
    /** A new card only when the hand-off's state changed (no edits through a webhook). */
    async updateOffer(ref, offer) {
      const previous = lastState.get(ref.ts) ?? /^workflow:[^:]+:(\w+)$/.exec(ref.ts)?.[1];
      if (previous === offer.state) return;
      await send(ref.channel, 'offer', handoffOfferCard(offer, { interactive: false }));
      lastState.set(ref.ts, offer.state);
    },
    async reply(ref, text) {
      opts.logger.debug('teams workflow: reply dropped (a webhook cannot thread)', {
        channel: ref.channel,
        length: text.length,
      });
    },
  };
}

/** Power Automate error bodies are `{error:{code,message}}`; keep the code, the message may echo the URL. */
function describe(body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? ` (${code})` : '';
  } catch {
    return '';
  }
}
