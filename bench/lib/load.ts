// autocannon ships no types; this is the slice of its API the benchmarks use.
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<LoadResult>;

export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** Drives POSTs of the given bodies (round robin) at max speed, or at `rate` requests/s overall. */
export function load(opts: {
  url: string;
  token: string;
  bodies: string[];
  seconds: number;
  connections: number;
  rate?: number;
}): Promise<LoadResult> {
  let i = 0;
  return autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          body: opts.bodies[i++ % opts.bodies.length],
        }),
      },
    ],
  });
}

export const round = (n: number, d = 0) => Number(n.toFixed(d));
