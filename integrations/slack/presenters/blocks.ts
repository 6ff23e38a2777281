import { httpUrl } from '../../../src/core/alert/http-url';

/**
 * The subset of Block Kit the presenters draw (docs.slack.dev/reference/block-kit), with the limits they
 * must respect, and mrkdwn helpers. Kept local so presenters stay pure and free of SDK types.
 */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  buttonText: 75,
  contextElements: 10,
  modalTitle: 24,
} as const;

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}
export type TextObject = PlainText | Mrkdwn;

export interface Button {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}

export interface PlainTextInput {
  type: 'plain_text_input';
  action_id: string;
  multiline?: boolean;
  min_length?: number;
  max_length?: number;
  placeholder?: PlainText;
  initial_value?: string;
}

/** The form elements of the hand-off dialog besides text. */
export type FormElement =
  | PlainTextInput
  | {
      type: 'static_select';
      action_id: string;
      placeholder?: PlainText;
      options: { text: PlainText; value: string }[];
    }
  | {
      type: 'number_input';
      action_id: string;
      is_decimal_allowed: boolean;
      min_value?: string;
      max_value?: string;
    }
  | { type: 'datetimepicker'; action_id: string };

export type Block =
  | { type: 'header'; block_id?: string; text: PlainText }
  | { type: 'section'; block_id?: string; text?: Mrkdwn; fields?: TextObject[]; accessory?: Button }
  | { type: 'actions'; block_id?: string; elements: Button[] }
  | { type: 'context'; block_id?: string; elements: TextObject[] }
  | { type: 'divider'; block_id?: string }
  | {
      type: 'input';
      block_id: string;
      label: PlainText;
      element: FormElement;
      optional?: boolean;
      hint?: PlainText;
    };

/** A message: `text` is the notification/fallback text (always set), `blocks` the layout. */
export interface BlockMessage {
  text: string;
  blocks?: Block[];
}

/** Type aliases (not interfaces) so that views are assignable to `Record<string, unknown>`. */
export type ModalView = {
  type: 'modal';
  callback_id: string;
  private_metadata: string;
  title: PlainText;
  submit: PlainText;
  close: PlainText;
  blocks: Block[];
};
export type HomeView = {
  type: 'home';
  blocks: Block[];
};
export type SlackView = ModalView | HomeView;

/** mrkdwn control characters; everything else (`*`, `_`, `~`) is left as the author wrote it. */
export const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Cuts to `max` characters with an ellipsis. */
export const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * `<url|label>` for an http(s) URL (`|`, `<`, `>` percent-encoded so the link cannot end early) with the
 * label escaped; any other URL (`javascript:`, `slack://`) gives the escaped label alone.
 */
export const link = (url: string, label: string): string => {
  const href = httpUrl(url);
  if (!href) return escape(label);
  return `<${href.replace(/[|<>]/g, (c) => encodeURIComponent(c))}|${escape(label)}>`;
};

export const plain = (text: string, max: number = LIMITS.headerText): PlainText => ({
  type: 'plain_text',
  text: truncate(text, max),
  emoji: true,
});
export const md = (text: string, max: number = LIMITS.sectionText): Mrkdwn => ({
  type: 'mrkdwn',
  text: truncate(text, max),
});

export const button = (
  text: string,
  action_id: string,
  value: string,
  style?: 'primary' | 'danger',
): Button => ({
  type: 'button',
  text: plain(text, LIMITS.buttonText),
  action_id,
  value,
  ...(style ? { style } : {}),
});

/**
 * A date Slack renders in the reader's time zone (`<!date^epoch^{date_short_pretty} {time}|fallback>`);
 * the ISO text is the fallback. Unparseable input is shown as is.
 */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escape(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${escape(iso)}>`;
}
