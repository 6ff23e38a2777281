import { SANDBOX_IDENTITIES } from '../../integrations/sandbox/sandbox-identities';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ID = SANDBOX_IDENTITIES.servicenow;

/** Basic auth of the sandbox's integration user and of its person at the service desk. */
export const SN_BRIDGE = basic(ID.user.userName, ID.user.password);
export const SN_PERSON = basic(ID.human.userName, ID.human.password);

/** A Table API call to a ServiceNow emulator at `baseUrl`, answering the `result` record. */
export function snTable(baseUrl: () => string) {
  return async (method: string, path: string, body?: object, auth = SN_BRIDGE) => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return ((await res.json()) as { result: Record<string, string> }).result;
  };
}
