/**
 * Slack's Web API limits (docs.slack.dev/apis/web-api/rate-limits): per method per workspace in tiers, and
 * `chat.postMessage` at about one message per second per channel with short bursts. Modelled as token
 * buckets so that a burst passes and a sustained rate above the limit gets 429 with `Retry-After`.
 */
export interface SlackRateLimits {
  /** `chat.postMessage` per channel (null = unlimited). Default 1 per second, burst 3. */
  postMessagePerChannel: { perSecond: number; burst: number } | null;
  /** Per-method tier limits (Tier 1 1/min … Tier 4 100/min); false turns them off. */
  tiers: boolean;
  /** Requests per minute for a method, overriding its tier (e.g. to make `users.info` trip in a test). */
  perMinute: Record<string, number>;
}

export const defaultRateLimits = (): SlackRateLimits => ({
  postMessagePerChannel: { perSecond: 1, burst: 3 },
  tiers: true,
  perMinute: {},
});

const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;

/** Published tiers of the methods the emulator speaks (auth.test is "special"; treated as Tier 4). */
export const METHOD_TIERS: Record<string, keyof typeof TIER_PER_MINUTE> = {
  'auth.test': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'views.open': 4,
  'views.update': 4,
  'views.publish': 4,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'usergroups.users.list': 2,
};

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly limits: SlackRateLimits,
    private readonly now: () => number,
  ) {}

  /** Takes one token for the call; returns the seconds to wait when there is none, else null. */
  check(method: string, channel: string | null): number | null {
    if (method === 'chat.postMessage') {
      const cap = this.limits.postMessagePerChannel;
      if (!cap) return null;
      return this.#take(`post:${channel ?? '?'}`, cap.burst, cap.perSecond);
    }
    const perMinute =
      this.limits.perMinute[method] ??
      (this.limits.tiers && METHOD_TIERS[method] ? TIER_PER_MINUTE[METHOD_TIERS[method]] : undefined);
    if (perMinute === undefined) return null;
    return this.#take(`method:${method}`, perMinute, perMinute / 60);
  }

  /** Forgets all buckets (e.g. between benchmark phases). */
  reset(): void {
    this.#buckets.clear();
  }

  #take(key: string, capacity: number, perSecond: number): number | null {
    const now = this.now();
    const b = this.#buckets.get(key) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }
}
