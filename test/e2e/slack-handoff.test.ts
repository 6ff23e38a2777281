import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_ACTIONS, HANDOFF_ACTIONS } from '../../src/ports/chat';
import { verifyAudit } from '../../src/app/verify-audit';
import { eventually } from '../helpers/eventually';
import { SN_AUTH, type TestApp, startTestApp } from '../helpers/test-app';
import {
  buttonBody,
  payloadBody,
  postSlack,
  sandboxResponseUrl,
  slackHeaders,
  slashBody,
} from '../helpers/slack-requests';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

const ANNA = 'U0ANNA0001';
const JONAS = 'U0JONAS001';
const GUEST = 'U0GUEST001';

// Jonas and the guest are infra; Anna owns the incident (app) and is infra's on-call contact in chat.
const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { updateInterval: 0 }
providers:
  - name: infra
    displayName: DMS Infrastructure
    chat: { slackChannel: "#dms-infra-oncall" }
    jiraProject: INFRA
    members: { slack: [${JONAS}, ${GUEST}] }
    oncall: [{ name: Jonas Weber, slack: ${JONAS} }]
  - name: app
    displayName: DMS Application
    chat: { slackChannel: "#dms-app-oncall" }
    jiraProject: DMSAPP
    members: { slack: [${ANNA}] }
routing:
  defaults: { provider: infra, groupBy: [branch] }
  rules:
    - name: branch-outage
      match: [{ labels: { branch: "*" } }]
      provider: app
      impact: 1
      urgency: 1
      runbook: dms-branch-down
      groupBy: [branch]
`;

describe('Slack hand-off: the dialog, the offer with Accept / Reject in the receiving channel, one winner', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterEach(() => app.close());

  const slack = () => app.sandboxes.slack!;
  const incidentMessage = () => slack().messages('dms-app-oncall')[0]!;
  const offers = () => slack().messages('dms-infra-oncall');

  async function openIncident() {
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.flush();
    const [inc] = (await app.api('/api/incidents')).incidents;
    const detail = await app.api(`/api/incidents/${inc.id}`);
    return {
      id: inc.id as number,
      number: detail.tickets.servicenow.number as string,
      sysId: detail.tickets.servicenow.sys_id as string,
    };
  }

  async function send(body: string) {
    const r = await postSlack(app.url, body, slackHeaders(body));
    await app.flush();
    return r;
  }

  const slash = (user: string, text: string) =>
    send(
      slashBody({
        text,
        user,
        channel: incidentMessage().channel,
        triggerId: slack().mintTriggerId(user),
        responseUrl: sandboxResponseUrl(app.url),
      }),
    );

  const click = (user: string, msg: { channel: string; ts: string }, actionId: string, value: string) =>
    buttonBody({
      actionId,
      value,
      user,
      channel: msg.channel,
      messageTs: msg.ts,
      triggerId: slack().mintTriggerId(user),
      responseUrl: sandboxResponseUrl(app.url),
    });

  const modalOf = (user: string, callbackId: string) =>
    eventually(
      () =>
        slack()
          .state.views.filter((v) => v.user === user && v.callbackId === callbackId)
          .at(-1),
      (v) => v !== undefined,
    );

  const ephemeralsOf = (user: string) =>
    slack()
      .state.ephemerals.filter((e) => e.user === user)
      .map((e) => e.text)
      .join('\n');

  async function snNotes(sysId: string) {
    const res = await fetch(
      `${app.url}/sandbox/servicenow/api/now/table/sys_journal_field?sysparm_query=element_id=${sysId}`,
      { headers: { authorization: SN_AUTH } },
    );
    return ((await res.json()) as { result: { value: string }[] }).result.map((r) => r.value);
  }

  /** Offers the incident through `/itsm handoff <ref> to infra` and the dialog; returns the offer message. */
  async function offerThroughDialog(inc: { number: string }) {
    await slash(ANNA, `handoff ${inc.number} to infra`);
    const modal = await modalOf(ANNA, 'itsm_handoff_note');
    expect(modal).toBeDefined();
    const ok = await send(
      payloadBody(
        slack().submission(modal!.id, {
          situation: 'Branch router in Munich down since 09:40',
          actionsTaken: 'Rebooted the router twice',
          nextSteps: 'Check the WAN line with the carrier',
          branches: 'Munich, Augsburg',
          users: 120,
        }),
      ),
    );
    expect(ok.json).toMatchObject({ response_action: 'clear' });
    return eventually(offers, (m) => m.length > 0).then((m) => m[0]!);
  }

  it('/itsm handoff opens the dialog pre-filled with the steps done and the notes; the note is validated per field', async () => {
    const inc = await openIncident();
    await send(click(ANNA, incidentMessage(), CHAT_ACTIONS.step, `${inc.id}:0`));
    await slash(ANNA, `note ${inc.number} router LEDs all red`);
    const r = await slash(ANNA, `handoff ${inc.number} to infra`);
    expect(r.status).toBe(200);
    const modal = await modalOf(ANNA, 'itsm_handoff_note');
    expect(JSON.parse(modal!.privateMetadata)).toEqual({ incidentId: inc.id, to: 'infra' });
    const blocks = modal!.view.blocks as { block_id?: string; element?: { initial_value?: string } }[];
    const prefill = blocks.find((b) => b.block_id === 'actionsTaken')?.element?.initial_value ?? '';
    expect(prefill).toMatch(/Runbook step 1 done by Anna Schmidt/);
    expect(prefill).toMatch(/Note by Anna Schmidt at .*: router LEDs all red/);
    // The provider was named: no select.
    expect(blocks.some((b) => b.block_id === 'to')).toBe(false);

    const bad = await send(
      payloadBody(slack().submission(modal!.id, { situation: '   ', nextSteps: 'x', users: 'many' })),
    );
    expect(bad.json).toMatchObject({
      response_action: 'errors',
      errors: { situation: expect.any(String), users: expect.any(String) },
    });
    expect(bad.json.errors.nextSteps).toBeUndefined();
    expect((await app.api('/api/handoffs')).handoffs).toEqual([]);
  });

  it('the Hand off button asks for the provider; a non-member of the owner is refused and nothing is offered', async () => {
    const inc = await openIncident();
    await send(click(JONAS, incidentMessage(), CHAT_ACTIONS.handoff, String(inc.id)));
    expect(
      await eventually(
        () => ephemeralsOf(JONAS),
        (t) => t.length > 0,
      ),
    ).toMatch(/Only members of DMS Application may hand off/);
    expect(slack().state.views.filter((v) => v.user === JONAS)).toHaveLength(0);

    await send(click(ANNA, incidentMessage(), CHAT_ACTIONS.handoff, String(inc.id)));
    const modal = await modalOf(ANNA, 'itsm_handoff_note');
    const select = (
      modal!.view.blocks as { block_id?: string; element?: { options?: { value: string }[] } }[]
    ).find((b) => b.block_id === 'to');
    expect(select?.element?.options?.map((o) => o.value)).toEqual(['infra']);
    const noTarget = await send(
      payloadBody(slack().submission(modal!.id, { situation: 'a', actionsTaken: 'b', nextSteps: 'c' })),
    );
    expect(noTarget.json).toMatchObject({ response_action: 'errors', errors: { to: expect.any(String) } });
    const ok = await send(
      payloadBody(
        slack().submission(modal!.id, { to: 'infra', situation: 'a', actionsTaken: 'b', nextSteps: 'c' }),
      ),
    );
    expect(ok.json).toMatchObject({ response_action: 'clear' });
    expect((await app.api('/api/handoffs?state=open')).handoffs).toEqual([
      expect.objectContaining({ from: 'app', to: 'infra', offeredBy: `slack:${ANNA}` }),
    ]);
  });

  it('the receiving channel gets the note with Accept / Reject and its on-call; of two accepting at once one wins, the other is told who', async () => {
    const inc = await openIncident();
    const offer = await offerThroughDialog(inc);
    const drawn = JSON.stringify(offer.blocks);
    expect(offer.text).toContain(`<@${JONAS}>`);
    expect(drawn).toContain(HANDOFF_ACTIONS.accept);
    expect(drawn).toContain(HANDOFF_ACTIONS.reject);
    expect(drawn).toContain('Check the WAN line with the carrier');
    expect(drawn).toContain('branches Munich, Augsburg; 120 users');
    expect(JSON.stringify(incidentMessage().blocks)).toMatch(/Hand-off 1 to \*DMS Infrastructure\* offered/);

    // Anna (the offering side) may not accept; nothing changes.
    await send(click(ANNA, offer, HANDOFF_ACTIONS.accept, '1'));
    expect(
      await eventually(
        () => ephemeralsOf(ANNA),
        (t) => /Only members/.test(t),
      ),
    ).toMatch(/Only members of DMS Infrastructure may accept or reject/);
    expect((await app.api('/api/handoffs?state=open')).handoffs).toHaveLength(1);

    // Jonas and the guest, both of infra, click Accept at the same moment (two signed requests).
    const bodies = [
      click(JONAS, offer, HANDOFF_ACTIONS.accept, '1'),
      click(GUEST, offer, HANDOFF_ACTIONS.accept, '1'),
    ];
    const answers = await Promise.all(bodies.map((b) => postSlack(app.url, b, slackHeaders(b))));
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await app.flush();
    const [h] = (await app.api(`/api/incidents/${inc.id}`)).handoffs;
    expect(h.state).toBe('accepted');
    const winner = h.decidedBy.replace('slack:', '');
    const loser = winner === JONAS ? GUEST : JONAS;
    expect(
      await eventually(
        () => ephemeralsOf(loser),
        (t) => /already accepted/.test(t),
      ),
    ).toContain(`already accepted by slack:${winner}`);
    expect(ephemeralsOf(winner)).toMatch(/Hand-off 1 to DMS Infrastructure accepted/);
    const accepted = (await app.store.timeline.of(inc.id, 500)).filter((e) => e.type === 'handoff_accepted');
    expect(accepted).toHaveLength(1);

    // Both messages redrawn: the offer without buttons, naming who accepted; the incident now infra's.
    const redrawn = JSON.stringify(offers()[0]!.blocks);
    expect(offers()).toHaveLength(1);
    expect(redrawn).not.toContain(HANDOFF_ACTIONS.accept);
    expect(redrawn).toContain(`Accepted by <@${winner}>`);
    const owner = JSON.stringify(incidentMessage().blocks);
    expect(owner).toContain('DMS Infrastructure');
    expect(owner).toMatch(/Hand-off 1 from DMS Application to DMS Infrastructure accepted/);
    expect((await snNotes(inc.sysId)).join('\n')).toContain(
      'Next steps: Check the WAN line with the carrier',
    );
    const audit: string[] = [];
    for await (const e of app.store.audit.entries()) audit.push(`${e.action}:${e.actor}`);
    expect(audit).toEqual(
      expect.arrayContaining([
        `incident.handoff_offered:slack:${ANNA}`,
        `incident.handoff_accepted:slack:${winner}`,
        'chat.handoff_posted:job:outbox',
      ]),
    );
    expect((await verifyAudit(app.store)).ok).toBe(true);
  });

  it('Reject asks for the reason in a modal, only for the receiving provider; the offer shows the reason', async () => {
    const inc = await openIncident();
    const offer = await offerThroughDialog(inc);
    await send(click(ANNA, offer, HANDOFF_ACTIONS.reject, '1'));
    expect(
      await eventually(
        () => ephemeralsOf(ANNA),
        (t) => /Only members/.test(t),
      ),
    ).toMatch(/DMS Infrastructure/);
    expect(slack().state.views.filter((v) => v.callbackId === 'itsm_handoff_reject')).toHaveLength(0);

    await send(click(JONAS, offer, HANDOFF_ACTIONS.reject, '1'));
    const modal = await modalOf(JONAS, 'itsm_handoff_reject');
    expect(modal!.privateMetadata).toBe('1');
    const empty = await send(payloadBody(slack().submission(modal!.id, { reason: '  ' })));
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    expect((await app.api('/api/handoffs?state=open')).handoffs).toHaveLength(1);
    const ok = await send(
      payloadBody(slack().submission(modal!.id, { reason: 'WAN is fine, it is the app' })),
    );
    expect(ok.json).toMatchObject({ response_action: 'clear' });
    const [h] = (await app.api(`/api/incidents/${inc.id}`)).handoffs;
    expect(h).toMatchObject({
      state: 'rejected',
      decidedBy: `slack:${JONAS}`,
      reason: 'WAN is fine, it is the app',
    });
    expect((await app.api(`/api/incidents/${inc.id}`)).owner).toBe('app');
    const redrawn = JSON.stringify(offers()[0]!.blocks);
    expect(redrawn).toContain('Reason: WAN is fine, it is the app');
    expect(redrawn).not.toContain(HANDOFF_ACTIONS.reject);
  });
});
