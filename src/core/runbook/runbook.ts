import { z } from 'zod';
import { AlertSource, Severity } from '../alert/alert';
import { globProblem } from './match-glob';

/** A label value or service/host name pattern: exact, or a glob with `*` (see match-glob.ts). */
const Pattern = z.string().superRefine((value, ctx) => {
  const problem = globProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid pattern ${problem}` });
});

/** Prometheus-style label names; anything else could never match a label we store. */
const LabelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'label names are [A-Za-z_][A-Za-z0-9_]*');

/**
 * One way a runbook can match an alert. Every field that is present must match (AND); a runbook's
 * `match` list is an OR of these entries.
 */
export const RunbookMatchEntry = z
  .strictObject({
    /** Label name -> exact value, or a glob (`*` alone means "label present"). Case-sensitive. */
    labels: z.record(LabelName, Pattern).optional(),
    /** Service name glob, case-insensitive (Windows display name or check name). */
    service: Pattern.optional(),
    /** Host name glob, case-insensitive. */
    host: Pattern.optional(),
    /** Exact monitoring source. */
    source: AlertSource.optional(),
  })
  .refine(
    (entry) =>
      entry.source !== undefined ||
      entry.host !== undefined ||
      entry.service !== undefined ||
      (entry.labels !== undefined && Object.keys(entry.labels).length > 0),
    {
      // An empty entry would match every alert and silently shadow all other runbooks.
      message: 'a match entry needs at least one of labels, service, host, source',
      // A misspelt key is already reported ("did you mean"); saying the entry is empty as well is noise.
      when: (payload) => payload.issues.length === 0,
    },
  );
export type RunbookMatchEntry = z.infer<typeof RunbookMatchEntry>;

/** Durations such as `15m`, `2h`, `1d` — how long before the next escalation level is called. */
const Duration = z.string().regex(/^\d+(m|h|d)$/, 'a duration like 15m, 2h or 1d');

/** One escalation level: whom to call (a role, never a person's name) and after how long. */
export const RunbookEscalation = z.strictObject({
  after: Duration,
  to: z.string().trim().min(1),
});
export type RunbookEscalation = z.infer<typeof RunbookEscalation>;

/**
 * The YAML front matter of a runbook file (DESIGN.md §6). Strict: an unknown key is a typo until proven
 * otherwise, and a typo in `match` would mean a runbook that never shows up.
 */
export const Runbook = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are kebab-case, e.g. print-queue-stuck'),
  title: z.string().trim().min(1),
  match: z.array(RunbookMatchEntry).min(1, 'at least one match entry'),
  steps: z.array(z.string().trim().min(1, 'a step must not be empty')).min(1, 'at least one step'),
  /** A hint for routing/priority; the routing rules decide. */
  severity: Severity.optional(),
  /** Which provider usually owns the work. */
  provider: z.enum(['infra', 'app']).optional(),
  escalation: z.array(RunbookEscalation).optional(),
});
export type Runbook = z.infer<typeof Runbook>;

/** A runbook as loaded from disk: the front matter plus the Markdown body and where it came from. */
export interface LoadedRunbook extends Runbook {
  /** Markdown after the front matter: background, contacts, links. */
  body: string;
  /** File the runbook was read from, for error messages and links. */
  file: string;
}
