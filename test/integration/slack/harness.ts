import { createSlackEmulator, type SlackEmulatorOptions } from '../../../integrations/sandbox/slack/emulator';
import { SlackApi } from '../../../integrations/slack/slack-api';
import { SlackNotifier } from '../../../integrations/slack/slack-notifier';
import { systemClock } from '../../../integrations/clock/system-clock';

export const CHANNELS = [
  { id: 'C0ALERTS', name: 'itsm-alerts' },
  { id: 'C0DMSOPS', name: 'dms-ops' },
  { id: 'C0OUTSIDE', name: 'elsewhere', isMember: false },
];
export const USERS = [
  { id: 'U0ALICE', name: 'alice', real_name: 'Alice Example', email: 'alice@example.com' },
  { id: 'U0BOB', name: 'bob', real_name: 'Bob Example', email: 'bob@example.com' },
  { id: 'U0NOMAIL', name: 'nomail', real_name: 'No Mail', email: null },
];

/** Emulator on an ephemeral port plus the real SlackApi/SlackNotifier pointed at it over HTTP. */
export async function startSlack(
  o: { emulator?: SlackEmulatorOptions; token?: string; timeoutMs?: number } = {},
) {
  const emulator = createSlackEmulator({
    channels: CHANNELS,
    users: USERS,
    usergroups: { S0ONCALL: ['U0ALICE', 'U0BOB'] },
    ...o.emulator,
  });
  const server = await emulator.listen(0);
  const api = new SlackApi({
    token: o.token ?? 'xoxb-sandbox',
    apiUrl: `${server.url}/`,
    timeoutMs: o.timeoutMs ?? 2000,
    // A test that moves the emulator's clock moves ours with it (Retry-After is read against it).
    clock: o.emulator?.now ? { now: () => new Date(o.emulator!.now!()) } : systemClock,
  });
  return { emulator, server, api, notifier: new SlackNotifier(api) };
}

/** A raw Web API call, to see exactly what the emulator answers. */
export async function rawCall(
  url: string,
  method: string,
  body: Record<string, unknown> | URLSearchParams,
  headers: Record<string, string> = { Authorization: 'Bearer xoxb-sandbox' },
) {
  const json = !(body instanceof URLSearchParams);
  const res = await fetch(`${url}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded', ...headers },
    body: json ? JSON.stringify(body) : body.toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}
