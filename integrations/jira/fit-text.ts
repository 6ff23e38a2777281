import type { TicketDraft } from '../../src/ports/ticket-system';

/**
 * Jira refuses a description or comment above 32,767 characters (the default of
 * `jira.text.field.character.limit`, Cloud and Data Center) with 400 "The entered text is too long".
 * An ADF document counts as its JSON. We aim below it, leaving room for what Jira adds when it stores it.
 */
export const JIRA_TEXT_BUDGET = 30_000;

/** Characters as Jira counts them: a wiki string's length, an ADF document's JSON length. */
export const jiraTextSize = (value: unknown): number =>
  typeof value === 'string' ? value.length : JSON.stringify(value).length;

/** The alerts a description leaves out, and where the full list is. */
export interface OmittedAlerts {
  count: number;
  total: number;
  url: string | null;
}

/** Renders a draft in one format (ADF or wiki markup), with a line about the alerts it leaves out. */
export type DraftRenderer<T> = (draft: TicketDraft, omitted: OmittedAlerts | null) => T;

/**
 * The description of `draft` within the budget: every alert when they fit; otherwise as many of the first
 * ones as fit, then "… and K more alerts (N in total)" with the link to the incident in the bridge; when
 * even no alert line leaves room, the free text is clipped too. The runbook, links and the closing
 * reference line are always kept.
 */
export function fitDescription<T>(
  draft: TicketDraft,
  render: DraftRenderer<T>,
  budget = JIRA_TEXT_BUDGET,
): T {
  const total = Math.max(draft.alertTotal ?? 0, draft.alerts.length);
  const withAlerts = (n: number, d: TicketDraft = draft): T =>
    render(
      { ...d, alerts: d.alerts.slice(0, n) },
      n < total ? { count: total - n, total, url: draft.incidentUrl ?? null } : null,
    );
  const fits = (v: T) => jiraTextSize(v) <= budget;
  const all = withAlerts(draft.alerts.length);
  if (fits(all)) return all;
  const n = largest(draft.alerts.length - 1, (k) => fits(withAlerts(k)));
  if (n !== null) return withAlerts(n);
  const clipped = (length: number) =>
    withAlerts(0, { ...draft, description: clip(draft.description, length) });
  return clipped(largest(draft.description.length, (k) => fits(clipped(k))) ?? 0);
}

/** `text` clipped so that `render(text)` fits the budget, saying that it was clipped. */
export function fitText<T>(text: string, render: (text: string) => T, budget = JIRA_TEXT_BUDGET): T {
  const whole = render(text);
  if (jiraTextSize(whole) <= budget) return whole;
  const note = (length: number) =>
    render(`${clip(text, length)}\n\n(clipped to Jira's text limit; the full text is in itsm-bridge)`);
  return note(largest(text.length, (k) => jiraTextSize(note(k)) <= budget) ?? 0);
}

const clip = (text: string, length: number): string =>
  length >= text.length ? text : `${text.slice(0, length)}…`;

/**
 * The largest k in 0..max with `ok(k)`, for an `ok` that holds up to some k and not beyond (the
 * rendered size grows with k); null when not even 0 is ok. About log2(max) renders.
 */
function largest(max: number, ok: (k: number) => boolean): number | null {
  if (max < 0 || !ok(0)) return null;
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
