import type { TicketDraft } from '../../ports/ticket-system';

/**
 * Fitting ticket text into a remote's field limit (Jira: 32,767 characters, ServiceNow: the column's
 * max_length): `size` measures a rendering the way the remote counts, `budget` is the most it may be.
 */
export interface TextLimit<T> {
  size: (rendered: T) => number;
  budget: number;
}

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
export function fitDescription<T>(draft: TicketDraft, render: DraftRenderer<T>, limit: TextLimit<T>): T {
  const total = Math.max(draft.alertTotal ?? 0, draft.alerts.length);
  const withAlerts = (n: number, d: TicketDraft = draft): T =>
    render(
      { ...d, alerts: d.alerts.slice(0, n) },
      n < total ? { count: total - n, total, url: draft.incidentUrl ?? null } : null,
    );
  const fits = (v: T) => limit.size(v) <= limit.budget;
  const all = withAlerts(draft.alerts.length);
  if (fits(all)) return all;
  const n = largest(draft.alerts.length - 1, (k) => fits(withAlerts(k)));
  if (n !== null) return withAlerts(n);
  const clipped = (length: number) =>
    withAlerts(0, { ...draft, description: clip(draft.description, length) });
  return clipped(largest(draft.description.length, (k) => fits(clipped(k))) ?? 0);
}

/** `text` clipped so that `render(text)` fits the budget, saying that it was clipped. */
export function fitText<T>(text: string, render: (text: string) => T, limit: TextLimit<T>): T {
  const fits = (v: T) => limit.size(v) <= limit.budget;
  const whole = render(text);
  if (fits(whole)) return whole;
  const note = (length: number) =>
    render(
      `${clip(text, length)}\n\n(clipped to the ticket system's text limit; the full text is in itsm-bridge)`,
    );
  return note(largest(text.length, (k) => fits(note(k))) ?? 0);
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
