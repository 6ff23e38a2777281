// The baseline for `npm run bench -- ingest`: node:http that only reads and JSON-parses the body and
// answers 202. Whatever we measure above this is the cost of auth, validation, mapping and the durable write.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: { alerts?: unknown[] };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts?: unknown[] };
    } catch {
      res.writeHead(400).end();
      return;
    }
    const text = JSON.stringify({ accepted: body.alerts?.length ?? 0 });
    res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
