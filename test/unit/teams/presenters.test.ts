import { CHAT_ACTIONS, type CommandResult } from '../../../src/ports/chat';
import type {
  AdaptiveCard,
  CardAction,
  CardElement,
} from '../../../integrations/teams/presenters/adaptive-card';
import { commandResultCard } from '../../../integrations/teams/presenters/command-result-card';
import { incidentCard } from '../../../integrations/teams/presenters/incident-card';
import { commandResultText, incidentText } from '../../../integrations/teams/presenters/plain-text';
import { stateChangeCard } from '../../../integrations/teams/presenters/state-change-card';
import { chatIncident } from './chat-incident';

/** Every element and action of a card, nested ones included (containers, columns, action sets, show cards). */
function walk(card: AdaptiveCard): { elements: CardElement[]; actions: CardAction[] } {
  const elements: CardElement[] = [];
  const actions: CardAction[] = [];
  const visitAction = (a: CardAction) => {
    actions.push(a);
    if (a.type === 'Action.ShowCard') visitCard(a.card);
  };
  const visit = (e: CardElement) => {
    elements.push(e);
    if (e.type === 'Container') e.items.forEach(visit);
    if (e.type === 'ColumnSet') e.columns.forEach((c) => c.items.forEach(visit));
    if (e.type === 'ActionSet') e.actions.forEach(visitAction);
  };
  const visitCard = (c: AdaptiveCard) => {
    c.body.forEach(visit);
    c.actions.forEach(visitAction);
  };
  visitCard(card);
  return { elements, actions };
}
const texts = (card: AdaptiveCard) =>
  walk(card)
    .elements.filter((e) => e.type === 'TextBlock')
    .map((e) => (e as { text: string }).text);
const facts = (card: AdaptiveCard) =>
  Object.fromEntries(
    walk(card)
      .elements.flatMap((e) => (e.type === 'FactSet' ? e.facts : []))
      .map((f) => [f.title, f.value]),
  );
const executes = (card: AdaptiveCard) =>
  walk(card).actions.filter(
    (a): a is Extract<CardAction, { type: 'Action.Execute' }> => a.type === 'Action.Execute',
  );

describe('Teams incident card', () => {
  it('is an Adaptive Card 1.5 at full width with priority and state in the title', () => {
    const card = incidentCard(chatIncident(), { interactive: true });
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' } });
    expect(texts(card)[0]).toBe('P2 · Branch Köln offline');
    expect(texts(card)[1]).toBe('Open');
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
  });

  it.each([
    [
      { acknowledged: { by: 'Ada', at: '2025-03-04T08:16:00Z' } },
      'Acknowledged by Ada at 2025-03-04 08:16 UTC',
    ],
    [
      {
        state: 'resolved' as const,
        resolution: { by: 'Bob', at: '2025-03-04T09:00:00Z', note: 'replaced modem' },
        resolvedAt: '2025-03-04T09:00:00Z',
      },
      'Resolved by Bob at 2025-03-04 09:00 UTC',
    ],
    [{ state: 'resolving' as const }, 'Resolving'],
  ])('shows the state %#', (over, label) => {
    expect(texts(incidentCard(chatIncident(over), { interactive: false }))).toContain(label);
  });

  it('lists the facts, and says "ticket pending" before the ServiceNow ticket exists', () => {
    const card = incidentCard(
      chatIncident({ flapping: true, links: { ...chatIncident().links, servicenow: null } }),
      { interactive: false },
    );
    expect(facts(card)).toMatchObject({
      Priority: 'P2 (impact 2, urgency 1)',
      Branch: 'K01',
      Host: 'rtr-k01',
      Service: 'vpn',
      Provider: 'Network Operations',
      'Alerts firing': '2 of 3 (flapping)',
      Opened: '2025-03-04 08:15 UTC',
      ServiceNow: 'ticket pending',
      Jira: 'OPS-7',
    });
  });

  it('links ServiceNow, Jira, the bridge and monitoring with Action.OpenUrl', () => {
    const links = walk(incidentCard(chatIncident(), { interactive: false })).actions;
    expect(links.map((a) => [a.type, a.title])).toEqual([
      ['Action.OpenUrl', 'ServiceNow INC0010001'],
      ['Action.OpenUrl', 'Jira OPS-7'],
      ['Action.OpenUrl', 'Bridge'],
      ['Action.OpenUrl', 'Grafana'],
    ]);
  });

  it('notify-only cards carry nothing but Action.OpenUrl', () => {
    const { actions, elements } = walk(incidentCard(chatIncident(), { interactive: false }));
    expect(actions.every((a) => a.type === 'Action.OpenUrl')).toBe(true);
    expect(elements.some((e) => e.type === 'Input.Text')).toBe(false);
  });

  it('interactive cards get Acknowledge, Hand off and a Resolve form with a note input', () => {
    const card = incidentCard(chatIncident(), { interactive: true });
    expect(card.actions.map((a) => a.title)).toEqual(['Acknowledge', 'Hand off', 'Resolve']);
    const exec = executes(card);
    expect(exec.find((a) => a.title === 'Acknowledge')).toMatchObject({
      verb: CHAT_ACTIONS.ack,
      data: { verb: CHAT_ACTIONS.ack, incidentId: 42 },
    });
    const form = card.actions.find((a) => a.type === 'Action.ShowCard');
    expect(form).toMatchObject({
      card: {
        body: [{ type: 'Input.Text', id: 'note' }],
        actions: [{ type: 'Action.Execute', verb: CHAT_ACTIONS.resolve, data: { incidentId: 42 } }],
      },
    });
  });

  it('drops Acknowledge once acknowledged and every button once resolved', () => {
    const acked = incidentCard(chatIncident({ acknowledged: { by: 'Ada', at: '2025-03-04T08:16:00Z' } }), {
      interactive: true,
    });
    expect(acked.actions.map((a) => a.title)).toEqual(['Hand off', 'Resolve']);
    const resolved = incidentCard(chatIncident({ state: 'resolved' }), { interactive: true });
    expect(executes(resolved)).toEqual([]);
  });

  it('renders the runbook: done steps with who and when, a Done button per open step', () => {
    const card = incidentCard(chatIncident(), { interactive: true });
    expect(texts(card)).toEqual(
      expect.arrayContaining([
        '**Runbook:** Branch offline (1/2 done)',
        '☑ 1. Call the branch',
        'done by Ada at 2025-03-04 08:20 UTC',
        '☐ 2. Check the VPN tunnel',
      ]),
    );
    const done = executes(card).filter((a) => a.title === 'Done');
    expect(done).toEqual([
      expect.objectContaining({
        verb: CHAT_ACTIONS.step,
        data: { verb: CHAT_ACTIONS.step, incidentId: 42, step: 1 },
      }),
    ]);
  });

  it('escapes Markdown in alert text so that it cannot become a link', () => {
    const card = incidentCard(chatIncident({ title: 'disk [full](http://evil) *now*' }), {
      interactive: false,
    });
    expect(texts(card)[0]).toBe('P2 · disk \\[full\\](http://evil) \\*now\\*');
  });

  it('has a plain-text fallback', () => {
    expect(incidentText(chatIncident())).toBe(
      [
        'P2 Branch Köln offline — Open',
        'K01 / rtr-k01 / vpn · Network Operations · INC0010001, OPS-7',
        '2/3 alerts firing · opened 2025-03-04 08:15 UTC',
      ].join('\n'),
    );
    expect(incidentCard(chatIncident(), { interactive: true }).fallbackText).toBe(
      incidentText(chatIncident()),
    );
  });
});

describe('Teams state-change card (notify-only update)', () => {
  it('says which ticket was resolved, with the note, using links only', () => {
    const card = stateChangeCard(
      chatIncident({
        state: 'resolved',
        resolution: { by: 'Bob', at: '2025-03-04T09:00:00Z', note: 'modem swapped' },
      }),
    );
    expect(texts(card)[0]).toBe('INC0010001 resolved: P2 Branch Köln offline');
    expect(texts(card)).toContain('modem swapped');
    expect(walk(card).actions.every((a) => a.type === 'Action.OpenUrl')).toBe(true);
  });
});

describe('Teams command result card', () => {
  it('shows a refusal in the attention colour', () => {
    const card = commandResultCard({ kind: 'text', ok: false, text: 'INC0010001 is already resolved' });
    expect(card.body).toEqual([
      expect.objectContaining({ text: 'INC0010001 is already resolved', color: 'Attention' }),
    ]);
  });

  it('answers an incident result with the interactive card under the message', () => {
    const card = commandResultCard({ kind: 'incident', text: 'Acknowledged.', incident: chatIncident() });
    expect(texts(card)[0]).toBe('Acknowledged.');
    expect(card.actions.map((a) => a.title)).toContain('Hand off');
  });

  it('lists incidents with priority, title link and state', () => {
    const card = commandResultCard({
      kind: 'incidents',
      title: 'Open incidents',
      incidents: [chatIncident()],
    });
    expect(texts(card)).toEqual([
      'Open incidents',
      '**P2** [Branch Köln offline](https://bridge.example.com/api/incidents/42)',
      'INC0010001 · Open',
    ]);
    expect(texts(commandResultCard({ kind: 'incidents', title: 'Mine', incidents: [] }))).toContain(
      'No incidents.',
    );
  });

  it('asks for a resolution note with an input and a resolve button', () => {
    const card = commandResultCard({ kind: 'needs_note', incident: chatIncident() });
    expect(card.body).toEqual([expect.objectContaining({ type: 'Input.Text', id: 'note' })]);
    expect(executes(card)).toEqual([
      expect.objectContaining({
        verb: CHAT_ACTIONS.resolve,
        data: { verb: CHAT_ACTIONS.resolve, incidentId: 42 },
      }),
    ]);
  });

  it('summarises a report with compliance per priority and download links', () => {
    const result: CommandResult = {
      kind: 'report',
      headline: {
        month: '2025-02',
        tickets: 12,
        breaches: 1,
        byPriority: [{ priority: 'P1', tickets: 2, response: 100, resolution: 50 }],
        mttaMinutes: 4.4,
        mttrMinutes: null,
        links: {
          html: 'https://bridge.example.com/reports/sla?month=2025-02',
          csv: 'https://bridge.example.com/r.csv',
        },
      },
      files: [],
    };
    const card = commandResultCard(result);
    expect(facts(card)).toMatchObject({
      Tickets: '12',
      Breaches: '1',
      MTTA: '4 min',
      MTTR: '–',
      P1: '2 tickets · response 100.0 % · resolution 50.0 %',
    });
    expect(card.actions.map((a) => (a as { url: string }).url)).toEqual([
      'https://bridge.example.com/reports/sla?month=2025-02',
      'https://bridge.example.com/r.csv',
    ]);
    expect(commandResultText(result)).toContain('12 tickets, 1 breaches');
  });
});
