import type { AuthProvider } from '@microsoft/agents-hosting';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '../../../src/config/secret';
import { createTeamsAdapter, microsoftServiceUrls } from '../../../integrations/teams/teams-adapter';
import { messageActivity, startTeams, useTokenProvider } from './teams-harness';

const APP_ID = '00000000-0000-4000-8000-0000000000a1';
const TENANT = '11111111-0000-4000-8000-0000000000b2';
const OTHER_TENANT = '22222222-0000-4000-8000-0000000000c3';
const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

/** An RS256 JWT signed locally, as Entra / Bot Framework would sign it. */
function jwt(key: KeyObject | null, claims: Record<string, unknown>, kid = 'k1', alg = 'RS256'): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url(JSON.stringify({ alg, typ: 'JWT', kid }));
  const body = b64url(JSON.stringify({ iat: now, nbf: now, exp: now + 600, ...claims }));
  const sig = key ? b64url(sign('sha256', Buffer.from(`${head}.${body}`), key)) : '';
  return `${head}.${body}.${sig}`;
}

describe('POST /teams/messages with an app id: the SDK validates the Bot Framework JWT', () => {
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwks: Server;
  let authority: string;
  let t: Awaited<ReturnType<typeof startTeams>>;
  const good = (over: Record<string, unknown> = {}) =>
    jwt(signing.privateKey, { aud: APP_ID, iss: `https://sts.windows.net/${TENANT}/`, tid: TENANT, ...over });

  beforeAll(async () => {
    // The tenant's JWKS, where the SDK looks for `<authority>/<tenant>/discovery/v2.0/keys`.
    const jwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
    jwks = createServer((req, res) => {
      if (req.url === `/${TENANT}/discovery/v2.0/keys`)
        res.writeHead(200).end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    authority = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

  beforeEach(async () => {
    t = await startTeams(
      (logger, serviceUrls) => {
        const adapter = createTeamsAdapter({
          auth: {
            clientId: APP_ID,
            clientSecret: new Secret('app-secret'),
            tenantId: TENANT,
            authorityEndpoint: authority,
          },
          logger,
          serviceUrls,
        });
        // Outbound tokens come from MSAL (a call to Entra); stand in at the SDK's own seam.
        const provider = { getAccessToken: async () => 'outbound-app-token' } as unknown as AuthProvider;
        useTokenProvider(adapter, provider);
        return adapter;
      },
      // Microsoft's hosts, plus the local connector emulator standing in for smba.trafficmanager.net.
      { tokens: ['outbound-app-token'], serviceUrls: () => microsoftServiceUrls(['127.0.0.1']) },
    );
  });
  afterEach(() => t.close());

  it('does not warn about sandbox mode', () => {
    expect(t.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('accepts a correctly signed token and answers through the connector with the app token', async () => {
    const res = await t.post(messageActivity(t.serviceUrl), { authorization: `Bearer ${good()}` });
    expect(res.status).toBe(200);
    expect(t.commands.runs.map((r) => r.text)).toEqual(['ack INC0010001']);
    const [reply] = [...t.emulator.state.conversations.values()].flat();
    expect(reply?.authorization).toBe('Bearer outbound-app-token');
  });

  it.each([
    ['no Authorization header', () => ({})],
    ['a non-Bearer scheme', () => ({ authorization: 'Basic Zm9vOmJhcg==' })],
    [
      'an unsigned token (alg none)',
      () => ({ authorization: `Bearer ${jwt(null, { aud: APP_ID }, 'k1', 'none')}` }),
    ],
    [
      'a token signed with another key',
      () => ({
        authorization: `Bearer ${jwt(stranger.privateKey, { aud: APP_ID, iss: `https://sts.windows.net/${TENANT}/`, tid: TENANT })}`,
      }),
    ],
    ['a token for another app', () => ({ authorization: `Bearer ${good({ aud: 'some-other-app' })}` })],
    [
      'an expired token',
      () => ({ authorization: `Bearer ${good({ exp: Math.floor(Date.now() / 1000) - 3600 })}` }),
    ],
    [
      'a token from another tenant',
      () => ({
        authorization: `Bearer ${good({ iss: `https://sts.windows.net/${OTHER_TENANT}/`, tid: OTHER_TENANT })}`,
      }),
    ],
  ])('401 for %s, before the activity is looked at', async (_name, headers) => {
    const res = await t.post(messageActivity(t.serviceUrl), headers());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await res.json()) as any).error).toBe('unauthorized');
    expect(t.commands.runs).toEqual([]);
    expect(t.emulator.state.callLog).toEqual([]);
  });

  it('refuses a serviceUrl that is not a Microsoft host, even with a valid token (issue 12, finding 2)', async () => {
    const res = await t.post(messageActivity('https://attacker.example/'), {
      authorization: `Bearer ${good()}`,
    });
    expect(res.status).toBe(400);
    expect(t.commands.runs).toEqual([]);
  });

  it("refuses an activity whose serviceUrl differs from the token's serviceurl claim (SDK validateServiceUrl)", async () => {
    const token = good({ serviceurl: 'https://smba.trafficmanager.net/emea/' });
    const res = await t.post(messageActivity(t.serviceUrl), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect(t.commands.runs).toEqual([]);
  });

  it('checks the token before the body: an unauthenticated malformed body is a 401, not a 400', async () => {
    const res = await t.post('{"type":');
    expect(res.status).toBe(401);
  });
});
