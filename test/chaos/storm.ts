import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures');
const load = (source: string, name: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, source, name), 'utf8'));

/** One delivery as a monitoring system would send it: route, body, and whether it is an HA twin. */
export interface Delivery {
  source: 'alertmanager' | 'grafana' | 'icinga' | 'checkmk' | 'generic';
  body: string;
  /** Alertmanager in an HA pair: both replicas deliver the same group, so it is sent twice at once. */
  twin: boolean;
}

type Json = Record<string, unknown>;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Real fixtures with the branch, host and ids changed, so every delivery is a fresh problem of `branch`. */
function build(source: Delivery['source'], branch: string, n: number): Json {
  const host = `${branch.replace('-', '')}-srv${n}`;
  switch (source) {
    case 'alertmanager': {
      const p = relabel(load('alertmanager', 'firing.json'), branch, host, n, 'a');
      return { ...p, groupLabels: { branch }, groupKey: `{}/{branch=~".+"}:{branch="${branch}"}` };
    }
    case 'grafana':
      return relabel(load('grafana', 'firing.json'), branch, host, n, 'b');
    case 'icinga': {
      const p = load('icinga', 'problem-service.json') as Json;
      return { ...p, host, vars: { ...(p.vars as Json), branch }, service: `check-${n}` };
    }
    case 'checkmk': {
      const p = load('checkmk', 'problem-service.json') as { context: Json };
      return {
        context: {
          ...p.context,
          HOSTNAME: host,
          HOSTLABEL_branch: branch,
          SERVICEDESC: `Service ${n}`,
          SERVICEPROBLEMID: String(10_000 + n),
        },
      };
    }
    case 'generic': {
      const p = load('generic', 'firing.json') as Json;
      return { ...p, dedupKey: `chaos:${branch}:${n}`, host, branch };
    }
  }
}

/** An Alertmanager-shaped group (Alertmanager, Grafana) moved to `branch`, with fresh fingerprints. */
function relabel(template: unknown, branch: string, host: string, n: number, tag: string): Json {
  const p = template as Json & { alerts: Json[] };
  return {
    ...p,
    commonLabels: { ...(p.commonLabels as Json), branch },
    alerts: p.alerts.map((a, i) => ({
      ...a,
      labels: { ...(a.labels as Json), branch, instance: `${host}-${i}.dms.example:9100` },
      fingerprint: `${hex(n, 8)}${hex(i, 4)}${tag}${hex(branch.length, 3)}`.slice(0, 16),
    })),
  };
}

const SOURCES: Delivery['source'][] = ['alertmanager', 'grafana', 'icinga', 'checkmk', 'generic'];

/**
 * A storm: `count` deliveries spread over `branches` groups, cycling through every source, with a
 * fraction of the Alertmanager ones delivered by both replicas of an HA pair. Deterministic for a seed.
 */
export function storm(o: { count: number; branches: number; random: () => number }): Delivery[] {
  const out: Delivery[] = [];
  for (let n = 0; n < o.count; n++) {
    const source = SOURCES[n % SOURCES.length]!;
    const branch = `br-${String(Math.floor(o.random() * o.branches)).padStart(2, '0')}`;
    out.push({
      source,
      body: JSON.stringify(build(source, branch, n)),
      twin: source === 'alertmanager' && o.random() < 0.5,
    });
  }
  return out;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be repeated with CHAOS_SEED. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
