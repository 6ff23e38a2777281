import type { Runbook } from './runbook';
import { substitutePlaceholders, type PlaceholderFacts } from './substitute-placeholders';

/** Who ticked a step off and when (ISO-8601 UTC, from the injected clock — never read here). */
export interface StepDone {
  by: string;
  at: string;
}

/** Done steps keyed by their 1-based number, as recorded in the store's timeline. */
export type StepDoneState = Readonly<Record<number, StepDone | undefined>>;

/** One step ready for Jira (ADF task list) and chat (a button per open step). */
export interface ChecklistItem {
  /** 1-based, stable for a given runbook version; the key for `StepDoneState`. */
  number: number;
  /** The step with the alert's placeholders filled in. */
  text: string;
  done: StepDone | null;
}

/** A runbook's steps for one incident. */
export interface Checklist {
  runbookId: string;
  title: string;
  items: ChecklistItem[];
}

/** Input for building a checklist: the facts of the incident's (first) alert and the done state. */
export interface ChecklistOptions {
  facts: PlaceholderFacts;
  done?: StepDoneState;
}

/** Builds the structured checklist (Jira description, chat buttons) from a runbook. */
export function buildChecklist(runbook: Runbook, options: ChecklistOptions): Checklist {
  return {
    runbookId: runbook.id,
    title: runbook.title,
    items: runbook.steps.map((step, index) => ({
      number: index + 1,
      text: substitutePlaceholders(step, options.facts),
      done: options.done?.[index + 1] ?? null,
    })),
  };
}

/**
 * Plain text for ServiceNow work notes, which show text only:
 * ```
 * Runbook: Print spooler queue stuck (print-queue-stuck)
 * [x] 1. Check the queue … (done by alice, 2024-05-01T10:02:00Z)
 * [ ] 2. Restart …
 * ```
 * Continuation lines of multi-line steps are indented under the step text so the numbering stays readable.
 */
export function renderChecklist(checklist: Checklist): string {
  const lines = [`Runbook: ${checklist.title} (${checklist.runbookId})`];
  for (const item of checklist.items) {
    const prefix = `[${item.done ? 'x' : ' '}] ${item.number}. `;
    const [first = '', ...rest] = item.text.split(/\r?\n/);
    const suffix = item.done ? ` (done by ${item.done.by}, ${item.done.at})` : '';
    lines.push(prefix + first + (rest.length === 0 ? suffix : ''));
    rest.forEach((line, i) => {
      lines.push(' '.repeat(prefix.length) + line + (i === rest.length - 1 ? suffix : ''));
    });
  }
  return lines.join('\n');
}
