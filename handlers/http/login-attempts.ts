import type { IncomingMessage } from 'node:http';

/** Failed sign-ins a client may make per window before the login refuses it (OWASP's usual 5 per 15 min). */
export const LOGIN_FAILURES = 5;
export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** Clients remembered at most; beyond it the one remembered longest is forgotten (bounded memory). */
export const LOGIN_CLIENTS = 10_000;

/**
 * Who the limit counts per: the peer address of the connection, never a forwarded header a client could
 * set to get fresh attempts. An IPv6 client counts per /64, the block one subscriber gets, so rotating
 * addresses inside it gains nothing. Behind a reverse proxy every client shares the proxy's address, so
 * the limit holds for all of them together (the API token still works as a bearer).
 */
export function loginClient(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  if (!address.includes(':') || address.startsWith('::ffff:')) return address.replace(/^::ffff:/, '');
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Failed sign-ins per client over a sliding window, in memory and bounded: at most `failures` times are
 * kept per client and at most `clients` clients. Per instance: with several behind a load balancer
 * each counts on its own.
 */
export class LoginAttempts {
  readonly #failed = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly o = {
      failures: LOGIN_FAILURES,
      windowMs: LOGIN_WINDOW_SECONDS * 1000,
      clients: LOGIN_CLIENTS,
    },
  ) {}

  /** Seconds until `client` may try again, or 0 when it may now. */
  retryAfter(client: string): number {
    const times = this.#recent(client);
    if (times.length < this.o.failures) return 0;
    return Math.max(1, Math.ceil((times[0]! + this.o.windowMs - this.now()) / 1000));
  }

  /** Records a failed sign-in; returns how many the client has made in the window. */
  failed(client: string): number {
    const times = [...this.#recent(client), this.now()].slice(-this.o.failures);
    this.#failed.delete(client);
    if (this.#failed.size >= this.o.clients) this.#makeRoom();
    this.#failed.set(client, times);
    return times.length;
  }

  /** A successful sign-in starts the client afresh. */
  succeeded(client: string): void {
    this.#failed.delete(client);
  }

  /** Clients remembered now (for tests and the bound). */
  get size(): number {
    return this.#failed.size;
  }

  #recent(client: string): number[] {
    const since = this.now() - this.o.windowMs;
    return (this.#failed.get(client) ?? []).filter((t) => t > since);
  }

  /** Forgets clients whose failures have all aged out; if none has, the one remembered longest. */
  #makeRoom(): void {
    const since = this.now() - this.o.windowMs;
    for (const [client, times] of this.#failed) if ((times.at(-1) ?? 0) <= since) this.#failed.delete(client);
    if (this.#failed.size < this.o.clients) return;
    const oldest = this.#failed.keys().next();
    if (!oldest.done) this.#failed.delete(oldest.value);
  }
}
