export { commandResultMessage, MAX_LISTED, type CommandResultMessage } from './command-result-message';
export { homeView } from './home-view';
export { incidentMessage } from './incident-message';
export { incidentRef, priorityLabel, stateLabel } from './incident-labels';
export { NOTE_ACTION_ID, NOTE_BLOCK_ID, resolveModal } from './resolve-modal';
export type { Block, BlockMessage, HomeView, ModalView, SlackView } from './blocks';
export { handoffModal, handoffRejectModal } from './handoff-modal';
export { handoffOfferMessage } from './handoff-offer-message';
