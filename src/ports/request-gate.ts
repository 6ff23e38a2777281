/**
 * A per-remote-system gate: when the remote answers 429 (or 503) with Retry-After, no further request to
 * that system starts before the time has passed — not just a retry of the failed call, every call.
 */
export interface RequestGate {
  /** Resolves when requests may be sent again. */
  wait(): Promise<void>;
  /** Closes the gate for `seconds` (extends, never shortens, a running pause). */
  pause(seconds: number): void;
  /** Epoch ms until which the gate is closed (0 or past when open). */
  readonly pausedUntil: number;
}
