import { httpUrl } from '../../../src/core/alert/http-url';

/**
 * The slice of the Adaptive Card 1.5 schema our cards use (https://adaptivecards.io/explorer/). Teams renders
 * 1.5 on desktop and web; mobile clients lag, so the cards avoid 1.5-only elements (no Table, no
 * Action.ToggleVisibility) and stay readable when an element falls back.
 */
export type CardElement =
  | {
      type: 'TextBlock';
      text: string;
      wrap?: boolean;
      size?: string;
      weight?: string;
      color?: string;
      isSubtle?: boolean;
      spacing?: string;
    }
  | { type: 'FactSet'; facts: { title: string; value: string }[] }
  | {
      type: 'Container';
      items: CardElement[];
      style?: string;
      bleed?: boolean;
      spacing?: string;
      separator?: boolean;
    }
  | {
      type: 'ColumnSet';
      columns: { type: 'Column'; width: string; items: CardElement[]; verticalContentAlignment?: string }[];
      spacing?: string;
    }
  | { type: 'ActionSet'; actions: CardAction[] }
  | {
      type: 'Input.Text';
      id: string;
      label?: string;
      placeholder?: string;
      isMultiline?: boolean;
      maxLength?: number;
      isRequired?: boolean;
      errorMessage?: string;
      value?: string;
    }
  | {
      type: 'Input.ChoiceSet';
      id: string;
      label?: string;
      choices: { title: string; value: string }[];
      isRequired?: boolean;
      errorMessage?: string;
      value?: string;
    }
  | { type: 'Input.Number'; id: string; label?: string; min?: number }
  | { type: 'Input.Date'; id: string; label?: string }
  | { type: 'Input.Time'; id: string; label?: string };

export type CardAction =
  | { type: 'Action.OpenUrl'; title: string; url: string }
  /** Universal Action: Teams sends an `adaptiveCard/action` invoke to the bot with `verb` and `data` (inputs merged in). */
  | {
      type: 'Action.Execute';
      title: string;
      verb: string;
      data: Record<string, unknown>;
      style?: 'positive' | 'destructive';
      associatedInputs?: 'auto' | 'none';
    }
  | { type: 'Action.ShowCard'; title: string; card: AdaptiveCard };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema?: string;
  version: '1.5';
  body: CardElement[];
  actions: CardAction[];
  /** Teams-only: use the full message width (incident cards carry a FactSet and a checklist). */
  msteams?: { width: 'Full' };
  /** Shown by clients that cannot render the card (and used in notifications). */
  fallbackText?: string;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A full-width card; `fallbackText` is the plain-text rendering for clients without card support. */
export function adaptiveCard(
  body: CardElement[],
  actions: CardAction[],
  fallbackText?: string,
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions,
    msteams: { width: 'Full' },
    ...(fallbackText ? { fallbackText } : {}),
  };
}

/** The attachment that carries a card in a message activity (Bot Connector and Workflows alike). */
export function cardAttachment(card: AdaptiveCard): {
  contentType: string;
  contentUrl: null;
  content: AdaptiveCard;
} {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card };
}

export const text = (
  value: string,
  extra: Partial<Extract<CardElement, { type: 'TextBlock' }>> = {},
): CardElement => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});

/**
 * Adaptive Card TextBlocks and facts render a Markdown subset (bold, italic, lists, `[text](url)` links);
 * text from alerts must not turn into links or emphasis, so those markers are escaped.
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/([\\`*_[\]])/g, '\\$1').replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3');
}

/** An `Action.OpenUrl` button for an http(s) URL; none for anything else (`javascript:`, `ms-…:`). */
export function openUrl(title: string, url: string): CardAction[] {
  const href = httpUrl(url);
  return href ? [{ type: 'Action.OpenUrl', title, url: href }] : [];
}
