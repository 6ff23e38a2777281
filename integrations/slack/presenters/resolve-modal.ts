import { RESOLVE_VIEW_ID, type ChatIncident } from '../../../src/ports/chat';
import { escape, LIMITS, md, plain, type ModalView } from './blocks';
import { incidentRef, priorityLabel } from './incident-labels';

/** Ids of the note input: `view.state.values.note.note.value` in the submission. */
export const NOTE_BLOCK_ID = 'note';
export const NOTE_ACTION_ID = 'note';

/** "Resolve with a note" dialog for `views.open`; private_metadata carries the incident id. */
export function resolveModal(i: ChatIncident): ModalView {
  return {
    type: 'modal',
    callback_id: RESOLVE_VIEW_ID,
    private_metadata: String(i.id),
    title: plain('Resolve incident', LIMITS.modalTitle),
    submit: plain('Resolve', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    blocks: [
      {
        type: 'section',
        text: md(`*${priorityLabel(i.priority)} · ${escape(incidentRef(i))}*\n${escape(i.title)}`),
      },
      {
        type: 'input',
        block_id: NOTE_BLOCK_ID,
        label: plain('Resolution note', 2000),
        element: {
          type: 'plain_text_input',
          action_id: NOTE_ACTION_ID,
          multiline: true,
          min_length: 1,
          max_length: 3000,
          placeholder: plain('What was done, and what fixed it?'),
        },
        optional: false,
        hint: plain('Goes into the ServiceNow close notes and the Jira comment.'),
      },
    ],
  };
}
