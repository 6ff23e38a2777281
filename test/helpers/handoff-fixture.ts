/** Two providers, every incident P1 (5 min to accept) and routed to infra: the hand-off tests' config. */
export const HANDOFF_YAML = `
correlation: { groupWait: 0 }
slack: { enabled: false }
teams: { enabled: false }
providers:
  - { name: infra }
  - { name: app }
routing:
  defaults: { provider: infra, groupBy: [branch], impact: 1, urgency: 1 }
`;

/** A complete hand-off note (the three required fields). */
export const HANDOFF_NOTE = {
  situation: 'spooler down',
  actionsTaken: 'restarted',
  nextSteps: 'check the interface',
};
