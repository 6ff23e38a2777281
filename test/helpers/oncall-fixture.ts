/** infra rotates weekly (Monday 09:00 Berlin) with an override; app keeps its static list. */
export const ONCALL_YAML = `
providers:
  - name: infra
    displayName: DMS Infrastructure
  - name: app
    displayName: DMS Application
    oncall: [{ name: Anna Schmidt, phone: "+49 89 1234" }]
oncall:
  infra:
    timeZone: Europe/Berlin
    layers:
      - length: 1w
        handover: { day: monday, time: "09:00" }
        start: 2026-03-16
        people:
          - { name: Anna, slackUser: U0ANNA0001 }
          - { name: Ben, phone: "+49 89 2" }
          - { name: Cem, email: cem@example.com }
    overrides:
      - person: { name: "Dorothea Maximiliane von Hohenzollern-Sigmaringen, Bereitschaft Süd" }
        from: "2026-04-08T10:00:00Z"
        to: "2026-04-09T10:00:00Z"
`;
/** Wednesday of Ben's week, which ends at the first handover in summer time. */
export const ONCALL_NOW = Date.parse('2026-03-25T12:00:00Z');
