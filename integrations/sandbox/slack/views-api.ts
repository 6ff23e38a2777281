import { randomBytes } from 'node:crypto';
import type { EmuResponse } from '../http-util';
import { validateView } from './block-kit';
import { jsonArg, slackFail, slackInvalid, slackOk, str, type SlackContext } from './context';
import { findUser, nextId, type EmuView, type SlackState } from './state';

/** Slack's trigger ids expire about 3 s after the interaction that carried them. */
export const TRIGGER_TTL_MS = 3000;

/** A trigger id as Slack puts it into a slash command or interaction payload, valid for 3 s, usable once. */
export function mintTriggerId(state: SlackState, user: string, nowMs: number): string {
  const id = `${Math.floor(nowMs / 1000)}.${state.nextId++}.${randomBytes(16).toString('hex')}`;
  state.triggers.set(id, { user, expiresAt: nowMs + TRIGGER_TTL_MS, used: false });
  return id;
}

function readView(
  ctx: SlackContext,
  expect: 'modal' | 'home' | 'any',
): { view: Record<string, unknown> } | EmuResponse {
  let view: unknown;
  try {
    view = jsonArg(ctx.params, 'view');
  } catch {
    return slackInvalid('invalid_arguments', ['invalid JSON [json-pointer:/view]']);
  }
  if (view === undefined) return slackInvalid('invalid_arguments', ['missing required field: view']);
  const errors = validateView(view, expect);
  return errors.length > 0
    ? slackInvalid('invalid_arguments', errors)
    : { view: view as Record<string, unknown> };
}

function renderView(ctx: SlackContext, v: EmuView): Record<string, unknown> {
  return {
    ...v.view,
    id: v.id,
    team_id: ctx.state.teamId,
    type: v.type,
    callback_id: v.callbackId,
    private_metadata: v.privateMetadata,
    external_id: v.externalId ?? '',
    state: { values: {} },
    hash: v.hash,
    root_view_id: v.id,
    previous_view_id: null,
    app_id: ctx.state.appId,
    bot_id: ctx.state.botId,
  };
}

const hash = (ctx: SlackContext) => `${Math.floor(ctx.now() / 1000)}.${randomBytes(4).toString('hex')}`;

function newView(ctx: SlackContext, view: Record<string, unknown>, user: string): EmuView {
  return {
    id: nextId(ctx.state, 'V'),
    type: view.type === 'home' ? 'home' : 'modal',
    user,
    callbackId: typeof view.callback_id === 'string' ? view.callback_id : '',
    privateMetadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    externalId: typeof view.external_id === 'string' ? view.external_id : null,
    hash: hash(ctx),
    view,
    history: [],
  };
}

/** Replaces a view's content, keeping its id; `hash` (when sent) must match the current one. */
function replace(ctx: SlackContext, v: EmuView, view: Record<string, unknown>): EmuResponse | null {
  const sent = str(ctx.params, 'hash');
  if (sent && sent !== v.hash) return slackFail('hash_conflict');
  v.history.push(v.view);
  v.view = view;
  v.callbackId = typeof view.callback_id === 'string' ? view.callback_id : '';
  v.privateMetadata = typeof view.private_metadata === 'string' ? view.private_metadata : '';
  v.hash = hash(ctx);
  return null;
}

export function openView(ctx: SlackContext): EmuResponse {
  const triggerId = str(ctx.params, 'trigger_id');
  if (!triggerId) return slackInvalid('invalid_arguments', ['missing required field: trigger_id']);
  const trigger = ctx.state.triggers.get(triggerId);
  if (!trigger) return slackFail('invalid_trigger_id');
  if (trigger.used) return slackFail('trigger_exchanged');
  if (trigger.expiresAt < ctx.now()) return slackFail('expired_trigger_id');
  const read = readView(ctx, 'modal');
  if (!('view' in read)) return read;
  const { view } = read;
  trigger.used = true;
  const v = newView(ctx, view, trigger.user);
  ctx.state.views.push(v);
  return slackOk({ view: renderView(ctx, v) });
}

export function updateView(ctx: SlackContext): EmuResponse {
  const id = str(ctx.params, 'view_id');
  const externalId = str(ctx.params, 'external_id');
  if (!id && !externalId) return slackInvalid('invalid_arguments', ['view_id or external_id is required']);
  const v = ctx.state.views.find((x) => (id ? x.id === id : x.externalId === externalId));
  if (!v) return slackFail('not_found');
  const read = readView(ctx, v.type);
  if (!('view' in read)) return read;
  const { view } = read;
  const conflict = replace(ctx, v, view);
  return conflict ?? slackOk({ view: renderView(ctx, v) });
}

/** App Home: one view per user, created on first publish, replaced afterwards. */
export function publishView(ctx: SlackContext): EmuResponse {
  const user = str(ctx.params, 'user_id');
  if (!user) return slackInvalid('invalid_arguments', ['missing required field: user_id']);
  if (!findUser(ctx.state, user)) return slackFail('user_not_found');
  const read = readView(ctx, 'home');
  if (!('view' in read)) return read;
  const { view } = read;
  const existing = ctx.state.homes.get(user);
  if (existing) {
    const conflict = replace(ctx, existing, view);
    return conflict ?? slackOk({ view: renderView(ctx, existing) });
  }
  const v = newView(ctx, view, user);
  ctx.state.views.push(v);
  ctx.state.homes.set(user, v);
  return slackOk({ view: renderView(ctx, v) });
}

/** What a person entered into one input of a modal: text, a select's option value, a number, epoch seconds. */
export type EnteredValue = string | number | null;

/**
 * The `view_submission` payload Slack sends to the app's request URL when the person presses Submit on
 * an open modal: built from the view as the app opened it, with `state.values[block_id][action_id]` in
 * the shape of each element type (api.slack.com/reference/interaction-payloads/views). An input the view
 * does not have is an error, so a test cannot submit what no person could.
 */
export function viewSubmissionPayload(
  state: SlackState,
  o: { viewId: string; values: Record<string, EnteredValue>; triggerId: string },
): Record<string, unknown> {
  const v = state.views.find((x) => x.id === o.viewId && x.type === 'modal');
  if (!v) throw new Error(`no open modal ${o.viewId}`);
  const inputs = new Map<string, { actionId: string; element: Record<string, unknown> }>();
  for (const b of (v.view.blocks as unknown[] | undefined) ?? []) {
    const block = b as { type?: unknown; block_id?: unknown; element?: Record<string, unknown> };
    if (block.type === 'input' && typeof block.block_id === 'string' && block.element)
      inputs.set(block.block_id, { actionId: String(block.element.action_id), element: block.element });
  }
  const values: Record<string, Record<string, unknown>> = {};
  for (const [blockId, input] of inputs) {
    const entered = o.values[blockId] ?? null;
    const type = String(input.element.type);
    values[blockId] = { [input.actionId]: { type, ...enteredAs(type, entered, input.element) } };
  }
  for (const key of Object.keys(o.values))
    if (!inputs.has(key)) throw new Error(`modal ${o.viewId} has no input block "${key}"`);
  const user = findUser(state, v.user);
  return {
    type: 'view_submission',
    team: { id: state.teamId, domain: state.teamName.toLowerCase() },
    user: { id: v.user, username: user?.name ?? v.user, name: user?.name ?? v.user, team_id: state.teamId },
    api_app_id: state.appId,
    token: 'deprecated',
    trigger_id: o.triggerId,
    view: {
      ...v.view,
      id: v.id,
      team_id: state.teamId,
      type: 'modal',
      callback_id: v.callbackId,
      private_metadata: v.privateMetadata,
      hash: v.hash,
      state: { values },
      root_view_id: v.id,
      app_id: state.appId,
      bot_id: state.botId,
    },
    response_urls: [],
  };
}

function enteredAs(
  type: string,
  entered: EnteredValue,
  element: Record<string, unknown>,
): Record<string, unknown> {
  switch (type) {
    case 'static_select': {
      const options = (element.options as { text: unknown; value: string }[] | undefined) ?? [];
      const option = options.find((x) => x.value === entered);
      if (entered !== null && !option) throw new Error(`"${entered}" is not an option of the select`);
      return { selected_option: option ?? null };
    }
    case 'datetimepicker':
      return { selected_date_time: typeof entered === 'number' ? entered : null };
    case 'number_input':
      return { value: entered === null ? null : String(entered) };
    default:
      return { value: entered === null ? null : String(entered) };
  }
}
