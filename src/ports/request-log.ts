/**
 * Requests already handled: Slack `event_id`s, request signatures, button clicks, a monthly report
 * posted. Retries, replays and double clicks are handled once.
 */
export interface RequestLog {
  /** Records the key and answers true the first time only; keys older than `forgetBefore` are dropped. */
  firstSeen(key: string, at: string, forgetBefore: string): Promise<boolean>;
  /** Whether `firstSeen` has recorded this key (and it has not been forgotten yet). */
  hasSeen(key: string): Promise<boolean>;
}
