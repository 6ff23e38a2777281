/**
 * The config of the real-process tests against the shared sandbox: tickets at once (no group wait, no
 * note coalescing, outbox polled every second), chat cards redrawn at once, Slack only.
 */
export const SANDBOX_TEST_SETTINGS = `
correlation: { groupWait: 0 }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { updateInterval: 0 }
teams: { enabled: false }`;
