import { ServiceNowConfig } from '../../src/config/servicenow';
import { wireServiceNowSync } from '../../src/composition/wire-servicenow-sync';
import { systemClock } from '../../integrations/clock/system-clock';
import { sandboxServiceNowAuth } from '../../integrations/sandbox/sandbox-auth';
import { createServiceNowLaneDriver } from '../../integrations/servicenow/servicenow-lane-driver';
import { openStore } from '../../src/composition/open-store';
import { recordingSink } from './recording-sink';
import type { Logger } from '../../src/ports/logger';

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A poller process for the crash test: polls the emulator at `argv[3]` again and again, its state in
 * the store DATABASE_URL `argv[4]` names (SQLite or PostgreSQL), handing to the recording sink in
 * `argv[5]`; prints `cycle` after each poll.
 */
async function main(): Promise<void> {
  const [url, databaseUrl, sinkPath] = process.argv.slice(3);
  const store = await openStore(databaseUrl!);
  const sink = recordingSink(sinkPath!);
  const parsed = ServiceNowConfig.parse({
    sync: { pageSize: 5, journalPageSize: 7, overlap: 5, initialLookback: 3600 },
  });
  const config = { ...parsed, auth: sandboxServiceNowAuth(parsed.auth) };
  const driver = createServiceNowLaneDriver({ clock: systemClock, concurrency: 2 });
  const { poller } = wireServiceNowSync(
    { servicenow: { baseUrl: url!, config, driver }, store, logger: silentLogger, url: 'http://unused' },
    // A consumer takes a while to commit: that is the window a kill must not turn into a loss.
    async (changes) => {
      await new Promise((r) => setTimeout(r, 30));
      await sink.sink(changes);
    },
  );
  for (;;) {
    const cycle = await poller.pollOnce();
    process.stdout.write(`cycle ${cycle.changes}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
