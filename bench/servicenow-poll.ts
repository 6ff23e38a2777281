import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemoteChange } from '../src/core/sync/remote-change';
import { ServiceNowConfig } from '../src/config/servicenow';
import { wireServiceNowSync } from '../src/composition/wire-servicenow-sync';
import { systemClock } from '../integrations/clock/system-clock';
import { createServiceNowEmulator } from '../integrations/sandbox/servicenow/emulator';
import { sandboxServiceNowAuth } from '../integrations/sandbox/sandbox-auth';
import { SANDBOX_IDENTITIES } from '../integrations/sandbox/sandbox-identities';
import { createServiceNowLaneDriver } from '../integrations/servicenow/servicenow-lane-driver';
import { openSqliteStore } from '../integrations/storage/sqlite/open-sqlite-store';
import { round } from './lib/load';
import { writeBenchSection } from './lib/report';

const H = SANDBOX_IDENTITIES.servicenow.human;
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * `npm run bench -- servicenow-poll [--incidents 10000] [--changed 100] [--latency 20] [--page 100]
 * [--no-write]`: one ServiceNow poll cycle over N open synced incidents in the emulator (its own port,
 * `--latency` ms per request), the poller's state in a SQLite file: the first cycle (every incident seen
 * for the first time), a cycle after `--changed` incidents got a customer comment and an impact change
 * from a person, and an idle cycle — requests (as the emulator counted them) and wall time each.
 * `--no-write` prints without rewriting docs/benchmarks.md.
 */
export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, d: number) => Number(argv[argv.indexOf(name) + 1] || d) || d;
  const incidents = arg('--incidents', 10_000);
  const changed = Math.min(incidents, arg('--changed', 100));
  const latencyMs = arg('--latency', 20);
  const pageSize = arg('--page', 100);
  const write = !argv.includes('--no-write');

  // One clock for the emulator and the poller that the bench can move on, to measure a quiet minute later.
  let offsetMs = 0;
  const clock = { now: () => new Date(systemClock.now().getTime() + offsetMs) };
  const emulator = createServiceNowEmulator({ now: () => clock.now().getTime() });
  // The call log keeps its last 10,000 entries by default: seeding 10,000 incidents would fill it, and
  // a cycle's requests are counted as the log's growth.
  emulator.faults.limits.callLog = 1_000_000;
  const server = await emulator.listen(0);
  const dir = mkdtempSync(join(tmpdir(), 'itsm-bench-sn-poll-'));
  const store = await openSqliteStore(`sqlite:${join(dir, 'bench.sqlite')}`);
  let handed = 0;
  const sink = async (changes: readonly RemoteChange[]) => {
    handed += changes.length;
  };
  const parsed = ServiceNowConfig.parse({
    sync: { pageSize, requestsPerHour: 1_000_000, initialLookback: 86_400 },
  });
  const config = { ...parsed, auth: sandboxServiceNowAuth(parsed.auth) };
  const driver = createServiceNowLaneDriver({ clock, concurrency: config.concurrency });
  const { poller } = wireServiceNowSync(
    // As the server runs it with the sync on: new attachments are read too (one request per cycle).
    {
      servicenow: { baseUrl: server.url, config, driver },
      store,
      logger: quiet,
      url: 'http://unused',
      attachments: true,
    },
    sink,
  );
  const call = async (method: string, path: string, body: object, auth: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return ((await res.json()) as { result: Record<string, string> }).result;
  };
  process.stdout.write(`seeding ${incidents} incidents …\n`);
  const ids: string[] = [];
  const bridge = basic('itsm.bridge', 'sandbox');
  for (let i = 0; i < incidents; i += 50) {
    const batch = Array.from({ length: Math.min(50, incidents - i) }, (_, k) =>
      call(
        'POST',
        '/api/now/table/incident',
        { short_description: `bench ${i + k}`, correlation_display: 'itsm-bridge' },
        bridge,
      ),
    );
    for (const r of await Promise.all(batch)) ids.push(r.sys_id!);
  }
  emulator.faults.latencyMs = latencyMs;

  const cycle = async (label: string) => {
    const before = emulator.state.callLog.length;
    const handedBefore = handed;
    const started = performance.now();
    const c = await poller.pollOnce();
    const ms = performance.now() - started;
    const requests = emulator.state.callLog.length - before;
    const row = {
      label,
      requests,
      pages: c.pages,
      changes: handed - handedBefore,
      seconds: round(ms / 1000, 2),
    };
    process.stdout.write(`${JSON.stringify(row)}\n`);
    return row;
  };
  const first = await cycle(`first cycle, ${incidents} incidents never seen`);
  emulator.faults.latencyMs = 0;
  const human = basic(H.userName, H.password);
  for (let i = 0; i < changed; i++)
    await call(
      'PATCH',
      `/api/now/table/incident/${ids[(i * 97) % ids.length]}`,
      { comments: `customer ${i}`, impact: '2' },
      human,
    );
  emulator.faults.latencyMs = latencyMs;
  const busy = await cycle(`${changed} incidents changed by a person (comment + impact)`);
  const open = await cycle('idle right after the change (overlap window read again)');
  offsetMs += (2 * config.sync.overlap + 1) * 1000;
  const settling = await cycle(`idle, ${2 * config.sync.overlap + 1} s later (the settling read)`);
  offsetMs += config.sync.pollInterval * 1000;
  const idle = await cycle('idle (nothing changed, window settled)');
  await store.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });

  const md = `## ServiceNow poll cycle (issue 11)

\`npm run bench -- servicenow-poll --incidents ${incidents} --changed ${changed} --latency ${latencyMs} --page ${pageSize}\`:
the poller against the ServiceNow emulator (${latencyMs} ms per request) with ${incidents} open synced incidents,
keyset pages of ${pageSize}, its cursor and snapshots in SQLite, new attachments read as with the sync on.
Target: an idle cycle costs at most 2 requests.
Right after a change the overlap window (default 30 s) is read again until a poll two overlaps later finds it
unchanged; from then on an idle poll asks only for what came after the cursor.

| cycle | requests | pages | changes handed on | time (s) |
|---|---:|---:|---:|---:|
${[first, busy, open, settling, idle].map((r) => `| ${r.label} | ${r.requests} | ${r.pages} | ${r.changes} | ${r.seconds} |`).join('\n')}
`;
  process.stdout.write(`\n${md}\n`);
  if (write) writeBenchSection('servicenow-poll', md);
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
