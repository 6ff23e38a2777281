/**
 * The settings of the sync suites' server: no grouping wait, no coalesced notes during a test, fast
 * retries, no chat (the sync's chat lines are read from the timeline).
 */
export const QUIET_SYNC_APP_YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 1h, maxBackoff: 1s, pollInterval: 1 }
slack: { enabled: false }
teams: { enabled: false }
`;
