/**
 * Coded errors. Handlers map them to the sender's contract; the outbox uses `retryable` to decide
 * between backoff and parking a command.
 */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A remote system failed. Never carries vendor types; `status` is the HTTP status when there was one. */
export class IntegrationError extends BridgeError {
  constructor(
    readonly system: string,
    readonly operation: string,
    readonly status: number | null,
    message: string,
    retryable: boolean,
    /** Seconds the remote asked us to wait (429/503 `Retry-After`), when it said so. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super('integration_failed', `${system} ${operation}: ${message}`, retryable);
  }
}

/** The store could not durably accept a write; the webhook answers 503 so that the sender retries. */
export class StoreUnavailableError extends BridgeError {
  constructor(message: string) {
    super('store_unavailable', message, true);
  }
}

/** Input that does not fit our contract; `issues` name each offending field. */
export class ValidationError extends BridgeError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super('invalid_payload', message, false);
  }
}
