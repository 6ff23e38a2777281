import { validateBlocks, validateView } from '../../../integrations/sandbox/slack/block-kit';
import {
  commandResultMessage,
  homeView,
  incidentMessage,
  MAX_LISTED,
  resolveModal,
  type Block,
} from '../../../integrations/slack/presenters';
import { CHAT_ACTIONS, RESOLVE_VIEW_ID, type ReportHeadline } from '../../../src/ports/chat';
import { incident, steps } from './incident-fixture';

/** Every button in a list of blocks (actions elements and section accessories). */
function buttons(blocks: Block[]) {
  return blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements : b.type === 'section' && b.accessory ? [b.accessory] : [],
  );
}
const allText = (blocks: Block[]) => JSON.stringify(blocks);

describe('incidentMessage', () => {
  it('shows priority and state in the header and a fallback text', () => {
    const m = incidentMessage(incident());
    expect(m.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect((m.blocks[0] as { text: { text: string } }).text.text).toContain(
      'P2 · Open — DMS application down',
    );
    expect(m.text).toBe('P2 Open: DMS application down at branch Berlin (INC0010001, OPS-7)');
    expect(validateBlocks(m.blocks, 'message')).toEqual([]);
  });

  it('offers Acknowledge, Hand off and Resolve with the incident id as value', () => {
    const actions = incidentMessage(incident()).blocks.find((b) => b.type === 'actions');
    expect(actions).toBeDefined();
    expect(buttons([actions!]).map((b) => [b.action_id, b.value, b.text.text])).toEqual([
      [CHAT_ACTIONS.ack, '42', 'Acknowledge'],
      [CHAT_ACTIONS.handoff, '42', 'Hand off'],
      [CHAT_ACTIONS.resolve, '42', 'Resolve'],
    ]);
  });

  it('hides Acknowledge once acknowledged and names who did', () => {
    const m = incidentMessage(
      incident({ acknowledged: { by: 'Alice Example', at: '2026-03-02T08:20:00.000Z' } }),
    );
    expect(buttons(m.blocks).map((b) => b.action_id)).not.toContain(CHAT_ACTIONS.ack);
    expect(buttons(m.blocks).map((b) => b.action_id)).toContain(CHAT_ACTIONS.resolve);
    expect(m.text).toContain('Acknowledged by Alice Example');
  });

  it('has a Done button per open step and a check mark with who/when for done steps', () => {
    const m = incidentMessage(
      incident({
        runbook: {
          id: 'rb',
          title: 'RB',
          steps: steps(['one', 'two', 'three'], { 1: { by: 'Bob', at: '2026-03-02T09:00:00.000Z' } }),
        },
      }),
    );
    const stepButtons = buttons(m.blocks).filter((b) => b.action_id === CHAT_ACTIONS.step);
    expect(stepButtons.map((b) => b.value)).toEqual(['42:0', '42:2']);
    expect(allText(m.blocks)).toContain('✅ ~2. two~ — Bob, <!date^1772442000^');
    expect(allText(m.blocks)).toContain('1/3 done');
  });

  it('has no buttons at all when resolved, and shows the resolution note', () => {
    const m = incidentMessage(
      incident({
        state: 'resolved',
        resolvedAt: '2026-03-02T10:00:00.000Z',
        resolution: { by: 'Alice', at: '2026-03-02T10:00:00.000Z', note: 'restarted the pool' },
      }),
    );
    expect(buttons(m.blocks)).toEqual([]);
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(m.text).toMatch(/^P2 Resolved:/);
    expect(allText(m.blocks)).toContain('Resolved by *Alice*');
    expect(allText(m.blocks)).toContain(': restarted the pool');
  });

  it('escapes &, < and > in everything taken from alerts', () => {
    const m = incidentMessage(
      incident({
        title: 'Disk <90% & rising> on <!channel>',
        host: 'a<b>',
        runbook: { id: 'r', title: 'x & y', steps: steps(['run `df -h > /tmp/x`']) },
      }),
    );
    const json = allText(m.blocks.filter((b) => b.type !== 'header'));
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('Disk &lt;90% &amp; rising&gt; on &lt;!channel&gt;');
    expect(json).toContain('a&lt;b&gt;');
    expect(json).toContain('df -h &gt; /tmp/x');
    expect(m.text).toBe('P2 Open: Disk &lt;90% &amp; rising&gt; on &lt;!channel&gt; (INC0010001, OPS-7)');
  });

  it('collapses a 60-step runbook into 50 blocks with a pointer to the full list', () => {
    const texts = Array.from({ length: 60 }, (_, i) => `Step number ${i + 1}`);
    const m = incidentMessage(incident({ runbook: { id: 'long', title: 'Long', steps: steps(texts) } }));
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(validateBlocks(m.blocks, 'message')).toEqual([]);
    const stepButtons = buttons(m.blocks).filter((b) => b.action_id === CHAT_ACTIONS.step);
    expect(stepButtons[0]?.value).toBe('42:0');
    const json = allText(m.blocks);
    expect(json).toMatch(/and (\d+) more steps — `\/itsm runbook INC0010001`/);
    const more = Number(/and (\d+) more steps/.exec(json)?.[1]);
    expect(stepButtons.length + more).toBe(60);
    // The action buttons survive the collapse.
    expect(buttons(m.blocks).map((b) => b.action_id)).toContain(CHAT_ACTIONS.resolve);
  });

  it('folds done steps so the first open step of a long runbook is still clickable', () => {
    const texts = Array.from({ length: 60 }, (_, i) => `s${i + 1}`);
    const done = Object.fromEntries(
      Array.from({ length: 45 }, (_, i) => [i, { by: 'Bob', at: '2026-03-02T09:00:00Z' }]),
    );
    const m = incidentMessage(incident({ runbook: { id: 'l', title: 'L', steps: steps(texts, done) } }));
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(allText(m.blocks)).toContain('Steps 1–45 done');
    const values = buttons(m.blocks)
      .filter((b) => b.action_id === CHAT_ACTIONS.step)
      .map((b) => b.value);
    expect(values[0]).toBe('42:45');
    expect(values).toContain('42:59');
  });

  it('marks a missing ticket as pending', () => {
    const m = incidentMessage(incident({ links: { ...incident().links, servicenow: null, jira: null } }));
    expect(allText(m.blocks)).toContain('_ticket pending_');
    expect(m.text).toBe('P2 Open: DMS application down at branch Berlin');
  });
});

describe('commandResultMessage', () => {
  it('answers text results ephemerally, flagging refusals', () => {
    const r = commandResultMessage({ kind: 'text', text: 'Not allowed: <reason>', ok: false });
    expect(r.response_type).toBe('ephemeral');
    expect(r.text).toBe('⚠️ Not allowed: &lt;reason&gt;');
    expect(commandResultMessage({ kind: 'text', text: 'ok', ok: true }).text).toBe('ok');
  });

  it('shows incident results with the card in the channel', () => {
    const r = commandResultMessage({
      kind: 'incident',
      text: 'Acknowledged INC0010001',
      incident: incident(),
    });
    expect(r.response_type).toBe('in_channel');
    expect(r.blocks[1]?.type).toBe('header');
    expect(buttons(r.blocks).map((b) => b.action_id)).toContain(CHAT_ACTIONS.resolve);
    expect(r.blocks.length).toBeLessThanOrEqual(50);
  });

  it('lists at most 20 incidents compactly with their ticket keys', () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      incident({ id: i + 1, title: `Incident ${i + 1}`, priority: 1 + (i % 5) }),
    );
    const r = commandResultMessage({ kind: 'incidents', title: 'Open incidents', incidents: many });
    expect(r.response_type).toBe('ephemeral');
    const sections = r.blocks.filter((b) => b.type === 'section');
    expect(sections).toHaveLength(MAX_LISTED);
    expect(allText(r.blocks)).toContain('and 5 more');
    expect(allText(sections.slice(0, 1))).toMatch(/\*P1\*.*Incident 1.*Open.*INC0010001.*OPS-7/);
    expect(validateBlocks(r.blocks, 'message')).toEqual([]);
  });

  it('says so when a list is empty', () => {
    const r = commandResultMessage({ kind: 'incidents', title: 'Mine', incidents: [] });
    expect(allText(r.blocks)).toContain('No incidents.');
  });

  it('renders the report headline as a table in fields', () => {
    const headline: ReportHeadline = {
      month: '2026-02',
      tickets: 31,
      breaches: 2,
      byPriority: [
        { priority: 'P1', tickets: 3, response: 100, resolution: 66.666 },
        { priority: 'P2', tickets: 28, response: 96.4, resolution: null },
      ],
      mttaMinutes: 7.4,
      mttrMinutes: 182,
      links: {
        html: 'http://b/reports/sla?month=2026-02',
        csv: 'http://b/reports/sla?month=2026-02&format=csv',
      },
    };
    const r = commandResultMessage({ kind: 'report', headline, files: [] });
    expect(r.text).toBe('SLA report 2026-02: 31 tickets, 2 breaches');
    const fields = r.blocks.flatMap((b) => (b.type === 'section' ? (b.fields ?? []) : [])).map((f) => f.text);
    expect(fields).toEqual(
      expect.arrayContaining(['*Tickets*\n31', '*MTTA*\n7 min', 'P1 (3)', '100.0 % · 66.7 %', '96.4 % · —']),
    );
    expect(validateBlocks(r.blocks, 'message')).toEqual([]);
  });
});

describe('resolveModal and homeView', () => {
  it('asks for a required multiline note and carries the incident id', () => {
    const v = resolveModal(incident());
    expect(v).toMatchObject({ type: 'modal', callback_id: RESOLVE_VIEW_ID, private_metadata: '42' });
    const input = v.blocks.find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: 'note',
      optional: false,
      element: { type: 'plain_text_input', action_id: 'note', multiline: true },
    });
    expect(validateView(v, 'modal')).toEqual([]);
  });

  it('builds a Home tab within 100 blocks with Acknowledge only for unacknowledged incidents', () => {
    const acked = incident({ id: 1, acknowledged: { by: 'A', at: '2026-03-02T08:20:00Z' } });
    const queue = Array.from({ length: 120 }, (_, i) => incident({ id: 100 + i }));
    const v = homeView([acked], queue);
    expect(v.type).toBe('home');
    expect(v.blocks.length).toBeLessThanOrEqual(100);
    expect(validateView(v, 'home')).toEqual([]);
    const values = buttons(v.blocks).map((b) => [b.action_id, b.value]);
    expect(values).not.toContainEqual([CHAT_ACTIONS.ack, '1']);
    expect(values).toContainEqual([CHAT_ACTIONS.ack, '100']);
    expect(allText(v.blocks)).toMatch(/and \d+ more/);
  });
});
