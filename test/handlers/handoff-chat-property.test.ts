import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { CHAT_ACTIONS, HANDOFF_ACTIONS } from '../../src/ports/chat';
import { apiPost } from '../helpers/api-post';
import { payloadBody, postSlack, slackHeaders } from '../helpers/slack-requests';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { executeActivity } from './teams/teams-harness';

const ANNA = 'U0ANNA0001';
const JONAS = 'U0JONAS001';
const ADA = '6c1f1a6e-0000-4000-8000-00000000ada0';
const BEN = 'bbbbbbbb-0000-4000-8000-0000000000be';

// Anna (Slack) and Ada (Teams) own the incidents (app); Jonas and Ben are infra, who receive.
const YAML = `
correlation: { groupWait: 0 }
tickets: { systems: [] }
slack: { updateInterval: 0 }
providers:
  - name: infra
    chat: { slackChannel: "#dms-infra-oncall", teamsChannel: "19:infra@thread.tacv2" }
    members: { slack: [${JONAS}], teams: [${BEN}] }
  - name: app
    chat: { slackChannel: "#dms-app-oncall", teamsChannel: "19:app@thread.tacv2" }
    members: { slack: [${ANNA}], teams: [${ADA}] }
routing:
  defaults: { provider: app, groupBy: [branch] }
`;

const note = { situation: 'spooler down', actionsTaken: 'restarted', nextSteps: 'check the interface' };
const hostile = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom('__proto__', '{"__proto__":{"x":1}}', '<@U0JONAS001>', 'x'.repeat(9000), '1e400', '-1'),
);

/** The hand-off dialog's state values with random, hostile or missing entries. */
const values = fc.dictionary(
  fc.constantFrom(
    'to',
    'situation',
    'actionsTaken',
    'nextSteps',
    'hypothesis',
    'branches',
    'users',
    'nextCheckpoint',
    '__proto__',
  ),
  fc.oneof(
    fc.record({ value: hostile }),
    fc.record({ value: hostile }).map((v) => ({ value: v })),
    fc.record({ selected_option: fc.oneof(fc.constant(null), fc.record({ value: hostile })) }),
    fc.record({ selected_date_time: hostile }),
    hostile,
  ),
  { maxKeys: 9 },
);

describe('hand-offs from chat under random and hostile input (property-based)', () => {
  let app: TestApp;
  let db: BetterSqlite3.Database;
  /** Offers go to this one; the other has hand-off 1 open (offered to infra) for the decisions. */
  let offerIncident: number;
  const handoffs = () =>
    JSON.stringify(db.prepare('select id, state, decided_by from handoffs order by id').all());
  const owners = () => JSON.stringify(db.prepare('select id, provider from incidents order by id').all());

  beforeAll(async () => {
    app = await startTestApp({ yaml: YAML });
    for (const branch of ['b1', 'b2'])
      await app.post('generic', {
        dedupKey: branch,
        status: 'firing',
        severity: 'major',
        summary: 's',
        branch,
      });
    await app.flush();
    const [a, b] = ((await app.api('/api/incidents')).incidents as { id: number }[]).map((i) => i.id).sort();
    offerIncident = a!;
    expect((await apiPost(app.url, `/api/incidents/${b}/handoffs`, { to: 'infra', note })).status).toBe(201);
    db = new BetterSqlite3(app.dbPath, { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await app.close();
  });

  /** Cancels what a valid random submission did offer, so the next run starts from the same state. */
  async function undoOffers() {
    const open = (await app.api('/api/handoffs?state=open')).handoffs as { id: number; incidentId: number }[];
    for (const h of open.filter((x) => x.incidentId === offerIncident))
      expect((await apiPost(app.url, `/api/handoffs/${h.id}/cancel`)).status).toBe(200);
  }

  const teams = (activity: unknown) =>
    fetch(`${app.url}/teams/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  const slack = async (payload: unknown) => {
    const body = payloadBody(payload);
    return postSlack(app.url, body, slackHeaders(body));
  };

  const submission = (user: string, entries: Record<string, unknown>) => ({
    type: 'view_submission',
    team: { id: 'T0SANDBOX' },
    user: { id: user },
    api_app_id: 'A0SANDBOX',
    view: {
      id: 'V0FUZZ',
      type: 'modal',
      callback_id: 'itsm_handoff_note',
      private_metadata: JSON.stringify({ incidentId: offerIncident }),
      state: { values: entries },
    },
  });

  it('the payloads below reach the hand-off handlers: valid ones offer (so the properties are not vacuous)', async () => {
    // state.values[block][action id "value"]: each element's own state, as Slack sends it.
    const values = {
      to: { value: { type: 'static_select', selected_option: { value: 'infra' } } },
      ...Object.fromEntries(
        Object.entries(note).map(([k, v]) => [k, { value: { type: 'plain_text_input', value: v } }]),
      ),
    };
    const res = await slack(submission(ANNA, values));
    expect(res.json).toMatchObject({ response_action: 'clear' });
    expect((await app.api('/api/handoffs?state=open')).handoffs).toHaveLength(2);
    await undoOffers();
    const activity = executeActivity(`${app.url}/sandbox/teams/`, {
      verb: CHAT_ACTIONS.handoff,
      submit: true,
      incidentId: offerIncident,
      to: 'infra',
      ...note,
    }) as { from: unknown };
    expect(JSON.stringify(await (await teams(activity)).json())).toMatch(/offered to infra/);
    await undoOffers();
  });

  it('Slack view_submission of the hand-off dialog: never a 5xx; refused means nothing offered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(ANNA, JONAS, 'U0NOBODY01'),
        fc.oneof(
          fc.constant(JSON.stringify({ incidentId: 1 })),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.record({ incidentId: hostile, to: hostile }).map((v) => JSON.stringify(v)),
        ),
        values,
        fc.constantFrom('itsm_handoff_note', 'itsm_handoff_reject'),
        async (user, metadata, state, callback) => {
          const before = handoffs();
          const res = await slack({
            type: 'view_submission',
            team: { id: 'T0SANDBOX' },
            user: { id: user },
            api_app_id: 'A0SANDBOX',
            view: {
              id: 'V0FUZZ',
              type: 'modal',
              callback_id: callback,
              private_metadata: metadata.replace('"incidentId":1', `"incidentId":${offerIncident}`),
              state: { values: Object.fromEntries(Object.entries(state).map(([k, v]) => [k, { value: v }])) },
            },
          });
          expect(res.status).toBeLessThan(500);
          const cleared = (res.json as { response_action?: string } | null)?.response_action === 'clear';
          if (!cleared || user !== ANNA || callback !== 'itsm_handoff_note') expect(handoffs()).toBe(before);
          await undoOffers();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('Slack Accept / Reject / Hand off buttons with hostile values or from outsiders change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(ANNA, 'U0NOBODY01', JONAS),
        fc.constantFrom(HANDOFF_ACTIONS.accept, HANDOFF_ACTIONS.reject, CHAT_ACTIONS.handoff),
        hostile.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
        async (user, actionId, value) => {
          // Jonas may decide hand-off 1: he only gets values that are not its id.
          const v = user === JONAS && value === '1' ? '2' : value;
          const before = [handoffs(), owners()];
          const res = await slack({
            type: 'block_actions',
            team: { id: 'T0SANDBOX' },
            user: { id: user },
            api_app_id: 'A0SANDBOX',
            trigger_id: 'trigger-unused',
            container: { type: 'message', channel_id: 'C0SANDBOX02', message_ts: '1.2' },
            actions: [
              { type: 'button', action_id: actionId, block_id: 'handoff', value: v, action_ts: '1.2' },
            ],
          });
          expect(res.status).toBeLessThan(500);
          expect([handoffs(), owners()]).toEqual(before);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('Teams hand-off invokes with random data: never a 5xx; outsiders change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(HANDOFF_ACTIONS.accept, HANDOFF_ACTIONS.reject, CHAT_ACTIONS.handoff),
        fc.dictionary(
          fc.constantFrom(
            'handoffId',
            'incidentId',
            'submit',
            'to',
            'situation',
            'actionsTaken',
            'nextSteps',
            'users',
            'reason',
            'nextCheckpointDate',
            'branches',
          ),
          hostile,
          { maxKeys: 11 },
        ),
        fc.constantFrom(
          { id: ADA, name: 'Ada' },
          { id: 'eeeeeeee-0000-4000-8000-000000000000', name: 'Eve' },
        ),
        async (verb, data, from) => {
          const before = [handoffs(), owners()];
          const activity = executeActivity(`${app.url}/sandbox/teams/`, { ...data, verb }) as {
            from: unknown;
          };
          activity.from = { id: `29:${from.name}`, name: from.name, aadObjectId: from.id };
          const res = await teams(activity);
          expect(res.status).toBeLessThan(500);
          // Ada owns the offer incident and may offer it (undone below); she can never decide hand-off 1.
          if (from.id !== ADA || verb !== CHAT_ACTIONS.handoff)
            expect([handoffs(), owners()]).toEqual(before);
          else expect(owners()).toBe(before[1]);
          await undoOffers();
        },
      ),
      { numRuns: 60 },
    );
  });
});
