import {
  HANDOFF_BLOCKS,
  HANDOFF_INPUT_ACTION,
  HANDOFF_REJECT_VIEW_ID,
  HANDOFF_VIEW_ID,
  type HandoffForm,
} from '../../../src/ports/chat';
import { escape, LIMITS, md, plain, type Block, type FormElement, type ModalView } from './blocks';
import { incidentRef, priorityLabel } from './incident-labels';

const text = (max: number, o: { multiline?: boolean; initial?: string; placeholder?: string } = {}) =>
  ({
    type: 'plain_text_input',
    action_id: HANDOFF_INPUT_ACTION,
    multiline: o.multiline ?? true,
    max_length: max,
    ...(o.initial ? { initial_value: o.initial.slice(0, max) } : {}),
    ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
  }) satisfies FormElement;

const input = (
  block: string,
  label: string,
  element: FormElement,
  optional = false,
  hint?: string,
): Block => ({
  type: 'input',
  block_id: block,
  label: plain(label, 2000),
  element,
  optional,
  ...(hint ? { hint: plain(hint, 2000) } : {}),
});

/**
 * The hand-off dialog for `views.open`: the receiving provider (a select unless the command named it),
 * the note's required fields (actions taken pre-filled with the runbook steps done and the timeline's
 * notes) and its optional ones. `private_metadata` is `{"incidentId":…,"to":…}` as JSON.
 */
export function handoffModal(f: HandoffForm): ModalView {
  const i = f.incident;
  const target = f.to ? f.providers.find((p) => p.name === f.to) : undefined;
  const head: Block = {
    type: 'section',
    text: md(
      `*${priorityLabel(i.priority)} · ${escape(incidentRef(i))}*\n${escape(i.title)}\nFrom *${escape(i.providerName)}*${target ? ` to *${escape(target.displayName)}*` : ''}`,
    ),
  };
  const choose: Block[] = f.to
    ? []
    : [
        input(HANDOFF_BLOCKS.to, 'Hand off to', {
          type: 'static_select',
          action_id: HANDOFF_INPUT_ACTION,
          placeholder: plain('Provider'),
          options: f.providers.slice(0, 100).map((p) => ({ text: plain(p.displayName, 75), value: p.name })),
        }),
      ];
  return {
    type: 'modal',
    callback_id: HANDOFF_VIEW_ID,
    private_metadata: JSON.stringify({ incidentId: i.id, ...(f.to ? { to: f.to } : {}) }),
    title: plain('Hand off incident', LIMITS.modalTitle),
    submit: plain('Offer', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks: [
      head,
      ...choose,
      input(HANDOFF_BLOCKS.situation, 'Situation', text(3000, { placeholder: 'What is broken, since when' })),
      input(HANDOFF_BLOCKS.actionsTaken, 'Actions taken', text(3000, { initial: f.actionsTaken })),
      input(HANDOFF_BLOCKS.nextSteps, 'Next steps', text(3000)),
      input(HANDOFF_BLOCKS.hypothesis, 'Hypothesis', text(3000), true),
      input(
        HANDOFF_BLOCKS.branches,
        'Impact: branches',
        text(2000, { multiline: false, placeholder: 'Munich, Hamburg' }),
        true,
        'Comma-separated',
      ),
      input(
        HANDOFF_BLOCKS.users,
        'Impact: users',
        { type: 'number_input', action_id: HANDOFF_INPUT_ACTION, is_decimal_allowed: false, min_value: '0' },
        true,
      ),
      input(
        HANDOFF_BLOCKS.nextCheckpoint,
        'Next checkpoint',
        { type: 'datetimepicker', action_id: HANDOFF_INPUT_ACTION },
        true,
      ),
    ],
  };
}

/** "Why do you reject it?" for `views.open` from the Reject button; `private_metadata` is the hand-off id. */
export function handoffRejectModal(handoffId: number): ModalView {
  return {
    type: 'modal',
    callback_id: HANDOFF_REJECT_VIEW_ID,
    private_metadata: String(handoffId),
    title: plain('Reject hand-off', LIMITS.modalTitle),
    submit: plain('Reject', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks: [input(HANDOFF_BLOCKS.reason, 'Reason', text(3000), false, 'The offering provider reads it.')],
  };
}
