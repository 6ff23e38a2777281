/** The route classes that each get their own in-flight budget (`server.maxInFlight`). */
export type RouteClass = 'webhooks' | 'chat' | 'api' | 'sandbox';

/**
 * Which budget a path spends: null for the probes (`/healthz`, `/readyz`, `/metrics`) and unknown paths,
 * which answer at once without reading a body.
 */
export function routeClass(path: string): RouteClass | null {
  if (path.startsWith('/webhooks/')) return 'webhooks';
  if (path === '/slack/events' || path === '/teams/messages') return 'chat';
  if (path.startsWith('/api/') || path === '/reports' || path.startsWith('/reports/')) return 'api';
  if (path.startsWith('/sandbox/')) return 'sandbox';
  return null;
}

/**
 * Requests being handled now, per route class, against a budget per class. Separate budgets are what
 * keep alert intake open while another route is flooded (issue 12: slow bodies on /slack/events used to
 * exhaust the one shared budget and every webhook answered 503).
 */
export class InFlight {
  readonly #active: Record<RouteClass, number> = { webhooks: 0, chat: 0, api: 0, sandbox: 0 };
  #all = 0;

  constructor(private readonly budgets: Record<RouteClass, number>) {}

  /** Takes a slot; false (and nothing taken) when the class is at its budget. */
  enter(cls: RouteClass): boolean {
    if (this.#active[cls] >= this.budgets[cls]) return false;
    this.#active[cls]++;
    return true;
  }

  leave(cls: RouteClass): void {
    this.#active[cls]--;
  }

  /** Every request, budgeted or not, from its start to its close (a graceful shutdown waits for them). */
  begin(): void {
    this.#all++;
  }

  end(): void {
    this.#all--;
  }

  /** All requests in flight now. */
  get count(): number {
    return this.#all;
  }

  /** Requests of the class in flight now (correlation gives way while webhooks are busy). */
  active(cls: RouteClass): number {
    return this.#active[cls];
  }
}
