import { openUrl } from '../../../integrations/teams/presenters/adaptive-card';
import { commandResultCard } from '../../../integrations/teams/presenters/command-result-card';
import { incidentCard } from '../../../integrations/teams/presenters/incident-card';
import { stateChangeCard } from '../../../integrations/teams/presenters/state-change-card';
import { chatIncident } from './chat-incident';

// A display name is whatever the person typed into their profile.
const NAME = '[Reset your password](https://evil.example.com) **CEO**';

/** Every TextBlock text and fact value of a card, where Teams renders Markdown. */
function markdownTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(markdownTexts);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = [
    record.type === 'TextBlock' ? record.text : undefined,
    record.title && record.value ? record.value : undefined,
  ];
  return [
    ...own.filter((t): t is string => typeof t === 'string'),
    ...Object.values(record).flatMap(markdownTexts),
  ];
}

const unescapedMarkdown = (texts: string[]) => texts.filter((t) => /(?<!\\)\[Reset|(?<!\\)\*\*CEO/.test(t));

describe('Teams cards: display names are text, links http(s) only (issue 12, finding 6)', () => {
  const acknowledged = chatIncident({ acknowledged: { by: NAME, at: '2025-03-04T08:20:00.000Z' } });
  const resolved = chatIncident({
    state: 'resolved',
    resolution: { by: NAME, at: '2025-03-04T09:00:00.000Z', note: 'done' },
  });

  it.each([
    ['incident card, acknowledged', incidentCard(acknowledged, { interactive: true })],
    ['incident card, resolved', incidentCard(resolved, { interactive: false })],
    ['state change card', stateChangeCard(resolved)],
    ['incident list', commandResultCard({ kind: 'incidents', title: 'Open', incidents: [acknowledged] })],
  ])('%s shows the name escaped', (_name, card) => {
    const texts = markdownTexts(card);
    expect(texts.some((t) => t.includes('Reset your password'))).toBe(true);
    expect(unescapedMarkdown(texts)).toEqual([]);
  });

  it('a runbook step done by someone shows the name escaped', () => {
    const base = chatIncident();
    const runbook = base.runbook && {
      ...base.runbook,
      steps: base.runbook.steps.map((s) => ({ ...s, done: { by: NAME, at: '2025-03-04T08:20:00.000Z' } })),
    };
    const texts = markdownTexts(incidentCard({ ...base, runbook: runbook ?? null }, { interactive: true }));
    expect(texts.some((t) => t.includes('Reset your password'))).toBe(true);
    expect(unescapedMarkdown(texts)).toEqual([]);
  });

  it('drops Action.OpenUrl for anything but http(s)', () => {
    expect(openUrl('Generator', 'javascript:alert(1)')).toEqual([]);
    const card = incidentCard(
      chatIncident({
        links: { ...chatIncident().links, monitoring: [{ label: 'Generator', url: 'javascript:alert(1)' }] },
      }),
      { interactive: true },
    );
    expect(JSON.stringify(card)).not.toContain('javascript:');
  });
});
