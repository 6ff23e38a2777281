import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBounded } from '../../../integrations/http/bounded-body';

/** Downloads stop at the limit: an attachment larger than announced, or announced too large, is refused. */
describe('readBounded over a real HTTP server', () => {
  let server: Server;
  let url: string;
  let sentChunks = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/announced') {
        res.writeHead(200, { 'content-length': '5000' });
        res.end(Buffer.alloc(5000, 1));
        return;
      }
      if (req.url === '/small') {
        res.end(Buffer.from('exactly twenty bytes'));
        return;
      }
      // Chunked, no length: 64 KB chunks for as long as the client reads.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const push = () => {
        while (sentChunks < 1000 && res.write(Buffer.alloc(64 * 1024, 2))) sentChunks++;
        if (sentChunks >= 1000) res.end();
      };
      res.on('drain', push);
      res.on('close', () => res.off('drain', push));
      push();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers too_large for an announced length over the limit without reading the body', async () => {
    expect(await readBounded(await fetch(`${url}/announced`), 1000)).toBe('too_large');
  });

  it('stops reading an unannounced stream as soon as it passes the limit', async () => {
    const result = await readBounded(await fetch(`${url}/stream`), 100 * 1024);
    expect(result).toBe('too_large');
    // 64 MB were on offer; far less was sent before the client cancelled.
    expect(sentChunks).toBeLessThan(1000);
  });

  it('returns the bytes of a body within the limit, the limit itself included', async () => {
    const body = await readBounded(await fetch(`${url}/small`), 20);
    expect(body).toEqual(Buffer.from('exactly twenty bytes'));
  });
});
