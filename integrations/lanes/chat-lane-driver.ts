import Bottleneck from 'bottleneck';
import type { Clock } from '../../src/ports/clock';
import { IntegrationError } from '../../src/errors';
import { RemoteLaneDriver, type RemoteLaneDriverOptions } from './remote-lane-driver';

export interface ChatLaneDriverOptions extends Omit<RemoteLaneDriverOptions, 'statusOf'> {
  clock: Clock;
  /** Commands of the platform at once. */
  concurrency: number;
  /** Messages per channel: `perSecond` on average with bursts of up to `burst`. */
  perChannel: { perSecond: number; burst: number };
}

/** What the composition decides for a chat platform's driver; the platform's module adds its limit. */
export type ChatLaneSettings = Omit<ChatLaneDriverOptions, 'concurrency' | 'system'>;

/**
 * A chat platform's lane driver: the platform limit, one token bucket per channel (Slack allows about
 * one message per second per channel with short bursts) and one gate for the platform — a 429 (per
 * channel or a workspace-wide method tier) stops every send until its Retry-After has passed.
 */
export class ChatLaneDriver extends RemoteLaneDriver {
  readonly #channels: Bottleneck.Group;
  readonly #perChannel: ChatLaneDriverOptions['perChannel'];

  constructor(o: ChatLaneDriverOptions) {
    super(o);
    this.#perChannel = o.perChannel;
    this.#channels = new Bottleneck.Group({
      reservoir: o.perChannel.burst,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseInterval: Math.round(1000 / o.perChannel.perSecond),
      reservoirIncreaseMaximum: o.perChannel.burst,
      maxConcurrent: 1,
    });
  }

  /**
   * Runs one send (one API call) to a channel: under the platform limit, then the channel's bucket, then
   * the gate — checked right before the call, closed the moment the platform answers with a throttle.
   */
  send<T>(channel: string, call: () => Promise<T>): Promise<T> {
    const perChannel = this.#perChannel;
    return this.inSlot(() =>
      this.#channels.key(channel).schedule(async () => {
        await this.#sharedRate(channel, perChannel);
        await this.gate.wait();
        try {
          return await this.observed(call);
        } catch (err) {
          if (err instanceof IntegrationError) this.gate.answered(err.status, err.retryAfterSeconds);
          throw err;
        }
      }),
    );
  }

  /** The channel's rate across all instances (the bucket above holds it for this one). */
  async #sharedRate(channel: string, rate: ChatLaneDriverOptions['perChannel']): Promise<void> {
    const limits = this.sharedLimits;
    if (!limits) return;
    const scope = `${this.system}:channel:${channel}`;
    for (let wait = await limits.tryTake(scope, rate); wait > 0; wait = await limits.tryTake(scope, rate))
      await new Promise((r) => setTimeout(r, wait));
  }
}
