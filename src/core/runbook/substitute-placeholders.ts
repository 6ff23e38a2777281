import type { Alert } from '../alert/alert';

/** The alert facts a runbook step may mention. Deliberately no environment, config or secrets. */
export type PlaceholderFacts = Pick<Alert, 'host' | 'service' | 'branch' | 'labels'>;

/** Anything between double braces; whether it is allowed is decided afterwards. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const LABEL = /^label\.([A-Za-z_][A-Za-z0-9_]*)$/;
const FIELDS = ['host', 'service', 'branch'] as const;

/** The placeholders a runbook may use, for docs and "did you mean" hints. */
export const KNOWN_PLACEHOLDERS = ['{{host}}', '{{service}}', '{{branch}}', '{{label.<name>}}'] as const;

function isKnown(name: string): boolean {
  return (FIELDS as readonly string[]).includes(name) || LABEL.test(name);
}

/**
 * Values end up inside one checklist line, so newlines and control characters from an alert would break
 * the `[ ] n.` layout (and could forge a fake step); collapse them to a single space.
 */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
}

function lookup(name: string, facts: PlaceholderFacts): string | null {
  const label = LABEL.exec(name);
  if (label) return facts.labels[label[1] as string] ?? null;
  if (name === 'host' || name === 'service' || name === 'branch') return facts[name];
  return null;
}

/**
 * Replaces the whitelisted `{{host}}`, `{{service}}`, `{{branch}}` and `{{label.<name>}}` with the
 * alert's values. A known placeholder without a value becomes `<host>` / `<label.queue>` — the same
 * "fill this in" convention the runbooks use for hand-typed arguments. Anything else in braces is left
 * exactly as written (validation reports it). Single pass: values are never expanded again.
 */
export function substitutePlaceholders(text: string, facts: PlaceholderFacts): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isKnown(name)) return whole;
    const value = lookup(name, facts);
    return value === null || oneLine(value) === '' ? `<${name}>` : oneLine(value);
  });
}

/** The placeholders in `text` that are not on the whitelist, as written (e.g. `{{hostname}}`). */
export function findUnknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].filter((m) => !isKnown(m[1] as string)).map((m) => m[0]);
}
