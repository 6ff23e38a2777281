import { isRecord } from '../http-util';

/**
 * Block Kit validation with the limits Slack enforces (docs.slack.dev/reference/block-kit): 50 blocks per
 * message, 100 per modal or Home tab, section text 3000, button text 75, 25 elements per actions block,
 * 255 for block_id/action_id. Messages name the JSON pointer like Slack's `invalid_blocks` answer.
 */
export type Surface = 'message' | 'modal' | 'home';

const BLOCK_TYPES = new Set([
  'section',
  'actions',
  'context',
  'divider',
  'header',
  'image',
  'input',
  'rich_text',
  'file',
  'video',
  'markdown',
]);

const ELEMENT_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'timepicker',
  'overflow',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'image',
]);

export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return [`must be an array [json-pointer:${pointer}]`];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) errors.push(`must be less than ${max + 1} items [json-pointer:${pointer}]`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `${pointer}/${i}`;
    if (!isRecord(b) || typeof b.type !== 'string' || !BLOCK_TYPES.has(b.type)) {
      errors.push(`unsupported type: ${isRecord(b) ? String(b.type) : typeof b} [json-pointer:${at}/type]`);
      return;
    }
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || b.block_id.length > 255)
        errors.push(`must be a string of at most 255 characters [json-pointer:${at}/block_id]`);
      else if (blockIds.has(b.block_id))
        errors.push(`duplicate block_id: ${b.block_id} [json-pointer:${at}/block_id]`);
      else blockIds.add(b.block_id);
    }
    errors.push(...validateBlock(b, at));
  });
  return errors;
}

function validateBlock(b: Record<string, unknown>, at: string): string[] {
  const errors: string[] = [];
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined)
        errors.push(`must provide text or fields [json-pointer:${at}]`);
      if (b.text !== undefined) errors.push(...text(b.text, `${at}/text`, 3000));
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length > 10)
          errors.push(`must be an array of at most 10 items [json-pointer:${at}/fields]`);
        else b.fields.forEach((f, i) => errors.push(...text(f, `${at}/fields/${i}`, 2000)));
      }
      if (b.accessory !== undefined) errors.push(...element(b.accessory, `${at}/accessory`));
      break;
    }
    case 'header':
      errors.push(...text(b.text, `${at}/text`, 150, 'plain_text'));
      break;
    case 'actions':
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25)
        errors.push(`must be an array of 1 to 25 items [json-pointer:${at}/elements]`);
      else errors.push(...elements(b.elements, `${at}/elements`));
      break;
    case 'context':
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10)
        errors.push(`must be an array of 1 to 10 items [json-pointer:${at}/elements]`);
      else
        b.elements.forEach((e, i) => {
          if (!(isRecord(e) && e.type === 'image')) errors.push(...text(e, `${at}/elements/${i}`, 3000));
        });
      break;
    case 'input':
      errors.push(...text(b.label, `${at}/label`, 2000, 'plain_text'));
      if (b.element === undefined) errors.push(`is required [json-pointer:${at}/element]`);
      else errors.push(...element(b.element, `${at}/element`));
      break;
  }
  return errors;
}

/** Action ids must be unique within a block. */
function elements(list: unknown[], at: string): string[] {
  const errors: string[] = [];
  const ids = new Set<string>();
  list.forEach((e, i) => {
    errors.push(...element(e, `${at}/${i}`));
    if (isRecord(e) && typeof e.action_id === 'string') {
      if (ids.has(e.action_id))
        errors.push(`duplicate action_id: ${e.action_id} [json-pointer:${at}/${i}/action_id]`);
      ids.add(e.action_id);
    }
  });
  return errors;
}

function element(e: unknown, at: string): string[] {
  if (!isRecord(e) || typeof e.type !== 'string' || !ELEMENT_TYPES.has(e.type))
    return [`unsupported element type [json-pointer:${at}/type]`];
  const errors: string[] = [];
  if (e.action_id !== undefined && (typeof e.action_id !== 'string' || e.action_id.length > 255))
    errors.push(`must be a string of at most 255 characters [json-pointer:${at}/action_id]`);
  if (e.type === 'button') {
    errors.push(...text(e.text, `${at}/text`, 75, 'plain_text'));
    if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > 2000))
      errors.push(`must be a string of at most 2000 characters [json-pointer:${at}/value]`);
    if (e.url !== undefined && (typeof e.url !== 'string' || e.url.length > 3000))
      errors.push(`must be a string of at most 3000 characters [json-pointer:${at}/url]`);
    if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
      errors.push(`must be one of primary, danger [json-pointer:${at}/style]`);
  }
  return errors;
}

/** A text object: `plain_text` or `mrkdwn`, 1 to `max` characters. */
function text(t: unknown, at: string, max: number, only?: 'plain_text'): string[] {
  if (!isRecord(t) || (t.type !== 'plain_text' && t.type !== 'mrkdwn'))
    return [`must be a text object [json-pointer:${at}]`];
  if (only && t.type !== only) return [`must be a ${only} text object [json-pointer:${at}/type]`];
  if (typeof t.text !== 'string' || t.text.length === 0)
    return [`must be more than 0 characters [json-pointer:${at}/text]`];
  if (t.text.length > max) return [`must be less than ${max + 1} characters [json-pointer:${at}/text]`];
  return [];
}

/** `views.open`/`views.update`/`views.publish`: type, title and buttons of a modal, then its blocks. */
export function validateView(view: unknown, expect: 'modal' | 'home' | 'any'): string[] {
  if (!isRecord(view)) return ['must be an object [json-pointer:/view]'];
  if (view.type !== 'modal' && view.type !== 'home')
    return ['must be one of modal, home [json-pointer:/view/type]'];
  if (expect !== 'any' && view.type !== expect) return [`must be ${expect} [json-pointer:/view/type]`];
  const errors: string[] = [];
  if (view.type === 'modal') {
    errors.push(...text(view.title, '/view/title', 24, 'plain_text'));
    if (view.submit !== undefined) errors.push(...text(view.submit, '/view/submit', 24, 'plain_text'));
    if (view.close !== undefined) errors.push(...text(view.close, '/view/close', 24, 'plain_text'));
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isRecord(b) && b.type === 'input');
    if (hasInput && view.submit === undefined)
      errors.push('submit is required when an input block is present [json-pointer:/view/submit]');
  }
  for (const [field, max] of [
    ['callback_id', 255],
    ['private_metadata', 3000],
    ['external_id', 255],
  ] as const) {
    const v = view[field];
    if (v !== undefined && (typeof v !== 'string' || v.length > max))
      errors.push(`must be a string of at most ${max} characters [json-pointer:/view/${field}]`);
  }
  errors.push(...validateBlocks(view.blocks, view.type, '/view/blocks'));
  return errors;
}
