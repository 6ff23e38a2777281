/**
 * The sandbox's users, secrets and paths, defined once. The emulators accept exactly these; the
 * composition hands them to the adapters of the systems that run as a sandbox, like any configured
 * credential; README.md and docs/ticket-systems.md quote them for curl. None of them is accepted by a
 * real system, which is why they may be documented.
 */
export const SANDBOX_IDENTITIES = {
  servicenow: {
    /** Where the emulator is mounted on the bridge's server. */
    path: '/sandbox/servicenow',
    /** The integration user: Basic auth and the OAuth password grant. */
    user: {
      userName: 'itsm.bridge',
      email: 'itsm-bridge@example.com',
      name: 'ITSM Bridge',
      password: 'sandbox',
    },
    oauthClient: { id: 'itsm-bridge', secret: 'sandbox' },
    /** A person at the service desk: edits made with this login are people's edits, not the bridge's. */
    human: {
      userName: 'service.desk',
      email: 'service-desk@example.com',
      name: 'Service Desk',
      password: 'sandbox',
    },
    /** Shared secret the emulator signs its pushes to `POST /webhooks/servicenow` with, as the business rule does. */
    pushSecret: 'sandbox-servicenow-push-secret',
  },
  jira: {
    path: '/sandbox/jira',
    /** Cloud: Basic `email:apiToken`; Data Center: `Authorization: Bearer <pat>`. */
    user: { email: 'itsm-bridge@example.com', displayName: 'ITSM Bridge', apiToken: 'sandbox' },
    /** A person: what they change is a person's change (the sync copies or reports it). */
    human: { email: 'engineer@example.com', displayName: 'Erika Engineer', apiToken: 'sandbox' },
    pat: 'sandbox-pat',
  },
  slack: {
    /** The Web API's base path; methods follow it (`…/chat.postMessage`). */
    path: '/sandbox/slack/api',
    botToken: 'xoxb-sandbox',
    /** Documented so that anyone can sign a test request; accepted only while every system is a sandbox. */
    signingSecret: 'sandbox-signing-secret',
  },
  teams: {
    /** The bot's `serviceUrl` is `<bridge URL>/sandbox/teams/`. */
    path: '/sandbox/teams',
    bot: { id: 'itsm-bridge', name: 'itsm-bridge' },
  },
  pagerduty: {
    /** Events API v2 below it: `…/v2/enqueue`. */
    path: '/sandbox/pagerduty',
    /** The routing key the sandbox PagerDuty accepts. */
    routingKey: 'sandbox-routing-key',
  },
} as const;

/** People in the sandbox: the same e-mails exist in the ServiceNow and Jira emulators. */
export const SANDBOX_PEOPLE = [
  { id: 'U0ANNA0001', name: 'anna.schmidt', real_name: 'Anna Schmidt', email: 'anna.schmidt@example.com' },
  { id: 'U0JONAS001', name: 'jonas.weber', real_name: 'Jonas Weber', email: 'jonas.weber@example.com' },
  { id: 'U0GUEST001', name: 'guest', real_name: 'Guest User', email: 'guest@example.com' },
];
