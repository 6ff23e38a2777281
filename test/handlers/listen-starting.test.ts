import { listenStarting, serve } from '../../handlers/http/listen';
import type { Mount } from '../../handlers/http/server';

describe('the server while the app is being wired', () => {
  it('answers 503 "starting" with Retry-After, serves the early mounts, then the app once installed', async () => {
    const sandbox: Mount = async (_req, res, url) => {
      if (!url.pathname.startsWith('/sandbox/')) return false;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('emulator');
      return true;
    };
    const { server, url } = await listenStarting(0, '127.0.0.1', [sandbox]);
    try {
      const early = await fetch(`${url}/webhooks/alertmanager`, { method: 'POST', body: '{}' });
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      expect(await early.json()).toMatchObject({ error: 'starting' });
      expect(await (await fetch(`${url}/sandbox/slack/api/auth.test`)).text()).toBe('emulator');

      serve(server, (_req, res) => res.writeHead(202).end());
      expect((await fetch(`${url}/webhooks/alertmanager`, { method: 'POST', body: '{}' })).status).toBe(202);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});
