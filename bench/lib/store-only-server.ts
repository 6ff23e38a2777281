// The ceiling for `npm run bench -- ingest`: node:http that reads the body, JSON-parses it, maps it
// (without validating it) and stores the alerts through the real SQLite inbox (the same schema, group
// commit and WAL checkpointer as itsm-bridge), answering 202 with the ids after the COMMIT. No auth,
// no schema check, no correlation, no request ids, logs or metrics: what itsm-bridge would reach if
// everything but the durable write of a delivery were free.
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertmanagerAlerts, type AlertmanagerPayload } from '../../handlers/webhooks/alertmanager';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';

async function main(): Promise<void> {
  const store = await openSqliteStore(
    `sqlite:${join(mkdtempSync(join(tmpdir(), 'itsm-ceiling-')), 'c.sqlite')}`,
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: AlertmanagerPayload;
      try {
        // The benchmark's own payloads: well-formed by construction, defaults already present.
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertmanagerPayload;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const alerts = alertmanagerAlerts(body, {
        receivedAt: new Date().toISOString(),
        keyMode: 'fingerprint',
      });
      store.inbox.accept(alerts).then(
        (ids) => {
          const text = JSON.stringify({ accepted: ids.length, alerts: ids });
          res.writeHead(202, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
        },
        () => res.writeHead(503).end(),
      );
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
  process.once('SIGTERM', () => server.close(() => void store.close().then(() => process.exit(0))));
}

void main();
