import { CHAT_ACTIONS, type ChatIncident } from '../../../src/ports/chat';
import { escapeMarkdown, text, type CardElement } from './adaptive-card';
import { formatTime } from './format';

/**
 * The runbook checklist: done steps show who and when; with `interactive`, each open step gets a "Done"
 * button (Action.Execute inside an ActionSet, so it sits next to its step rather than at the card bottom).
 */
export function runbookSection(incident: ChatIncident, interactive: boolean): CardElement[] {
  const runbook = incident.runbook;
  if (!runbook || runbook.steps.length === 0) return [];
  const rows: CardElement[] = runbook.steps.map((step) => {
    const label = `${step.done ? '☑' : '☐'} ${step.index + 1}. ${escapeMarkdown(step.text)}`;
    const items: CardElement[] = [text(label, step.done ? { isSubtle: true } : {})];
    if (step.done)
      items.push(
        text(escapeMarkdown(`done by ${step.done.by} at ${formatTime(step.done.at)}`), {
          size: 'Small',
          isSubtle: true,
          spacing: 'None',
        }),
      );
    const columns: Extract<CardElement, { type: 'ColumnSet' }>['columns'] = [
      { type: 'Column', width: 'stretch', items },
    ];
    if (interactive && !step.done && incident.state !== 'resolved') {
      columns.push({
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Center',
        items: [
          {
            type: 'ActionSet',
            actions: [
              {
                type: 'Action.Execute',
                title: 'Done',
                verb: CHAT_ACTIONS.step,
                data: { verb: CHAT_ACTIONS.step, incidentId: incident.id, step: step.index },
                associatedInputs: 'none',
              },
            ],
          },
        ],
      });
    }
    return { type: 'ColumnSet', columns, spacing: 'Small' };
  });
  const done = runbook.steps.filter((s) => s.done).length;
  return [
    {
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      items: [
        text(`**Runbook:** ${escapeMarkdown(runbook.title)} (${done}/${runbook.steps.length} done)`),
        ...rows,
      ],
    },
  ];
}
