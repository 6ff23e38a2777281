/** What start-up decides about a sandbox (or a published secret) that may be reachable by others. */
export type SandboxExposure =
  { kind: 'ok' } | { kind: 'refuse'; message: string } | { kind: 'warn'; message: string; active: string[] };

/** The variable that lets a sandbox run where others can reach it (documented in README and .env.example). */
export const ALLOW_INSECURE_SANDBOX = 'ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX';

/** Loopback addresses only this machine can reach: `127.0.0.0/8`, `::1`, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/**
 * The sandbox answers to published credentials (the Slack signing secret, the emulators' logins) and,
 * for Teams, to anonymous activities: anyone who reaches it can list incidents and act as any member
 * (issue 12). So with any of it `active`, a `HOST` other than loopback or `NODE_ENV=production` refuses to
 * start, unless the operator opted in — which is then logged loudly at every start.
 */
export function sandboxExposure(o: {
  host: string;
  nodeEnv: string | undefined;
  allowInsecure: boolean;
  active: string[];
}): SandboxExposure {
  if (o.active.length === 0) return { kind: 'ok' };
  const reasons = [
    ...(isLoopbackHost(o.host) ? [] : [`HOST=${o.host} is reachable from other machines`]),
    ...(o.nodeEnv === 'production' ? ['NODE_ENV=production'] : []),
  ];
  if (reasons.length === 0) return { kind: 'ok' };
  const what = `${o.active.join(', ')} (published credentials: anyone who reaches it can act as any user)`;
  if (o.allowInsecure)
    return {
      kind: 'warn',
      message: `INSECURE: sandbox active while ${reasons.join(' and ')}, allowed by ${ALLOW_INSECURE_SANDBOX}=1: ${what}`,
      active: o.active,
    };
  return {
    kind: 'refuse',
    message:
      `refusing to start: ${reasons.join(' and ')}, but the sandbox is active: ${what}. ` +
      'Configure the real systems (URLs, tokens, SLACK_SIGNING_SECRET, TEAMS_APP_ID), or listen on ' +
      `HOST=127.0.0.1, or set ${ALLOW_INSECURE_SANDBOX}=1 to run it exposed anyway.`,
  };
}
