/**
 * The `/itsm …` command language (and `@itsm-bridge …` in Teams), parsed without any platform in mind.
 * Refs are a ServiceNow number (INC0010001), a Jira key (OPS-12) or our incident id (42 or #42).
 */
export type ParsedCommand =
  | { name: 'help' }
  | { name: 'list'; filter: { kind: 'open' } | { kind: 'mine' } | { kind: 'branch'; branch: string } }
  | { name: 'show'; ref: string }
  | { name: 'ack'; ref: string }
  | { name: 'resolve'; ref: string; note: string | null }
  | { name: 'note'; ref: string; text: string }
  | { name: 'runbook'; ref: string }
  | { name: 'oncall' }
  | { name: 'report'; month: string }
  | { name: 'handoff'; ref: string }
  | { name: 'invalid'; message: string };

export const USAGE: Record<string, string> = {
  help: 'help — this list',
  list: 'list [open|mine|branch <name>] — open incidents',
  show: 'show <INC…|JIRA-KEY|id> — one incident with its tickets and runbook',
  ack: 'ack <ref> — take the incident (ServiceNow In Progress + assigned to you, Jira assignee)',
  resolve:
    'resolve <ref> <note> — resolve both tickets with your note (a dialog asks when the note is missing)',
  note: 'note <ref> <text> — work note in ServiceNow and comment in Jira',
  runbook: 'runbook <ref> — the runbook checklist with a Done button per step',
  oncall: 'oncall — who is on call per provider',
  report: 'report <YYYY-MM> — the monthly SLA report (headline, HTML and CSV)',
  handoff: 'handoff <ref> — hand the incident to another provider or shift',
};

const REF = /^#?([0-9]+|[A-Za-z][A-Za-z0-9_]*-[0-9]+|INC[0-9]+)$/i;

export function parseCommand(input: string): ParsedCommand {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '') return { name: 'help' };
  const [word = '', ...rest] = text.split(' ');
  const name = word.toLowerCase();
  const ref = rest[0] ?? '';
  const tail = rest.slice(1).join(' ').trim();
  const needRef = (): string | null => (REF.test(ref) ? ref.replace(/^#/, '') : null);
  const badRef = (): ParsedCommand => ({
    name: 'invalid',
    message: ref
      ? `"${ref}" is not an incident reference. Use a ServiceNow number (INC0010001), a Jira key (OPS-12) or an incident id. Usage: ${USAGE[name]}`
      : `Which incident? Usage: ${USAGE[name]}`,
  });
  switch (name) {
    case 'help':
    case '?':
      return { name: 'help' };
    case 'list':
    case 'ls': {
      const f = (ref || 'open').toLowerCase();
      if (f === 'open') return { name: 'list', filter: { kind: 'open' } };
      if (f === 'mine') return { name: 'list', filter: { kind: 'mine' } };
      if (f === 'branch' && tail) return { name: 'list', filter: { kind: 'branch', branch: tail } };
      return { name: 'invalid', message: `Usage: ${USAGE.list}` };
    }
    case 'show':
    case 'ack':
    case 'runbook':
    case 'handoff': {
      const r = needRef();
      if (!r) return badRef();
      return { name, ref: r };
    }
    case 'resolve': {
      const r = needRef();
      if (!r) return badRef();
      return { name: 'resolve', ref: r, note: tail || null };
    }
    case 'note': {
      const r = needRef();
      if (!r) return badRef();
      if (!tail) return { name: 'invalid', message: `What should the note say? Usage: ${USAGE.note}` };
      return { name: 'note', ref: r, text: tail };
    }
    case 'oncall':
      return { name: 'oncall' };
    case 'report': {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(ref))
        return { name: 'invalid', message: `Which month? Usage: ${USAGE.report} (e.g. report 2026-10)` };
      return { name: 'report', month: ref };
    }
    default:
      return { name: 'invalid', message: `Unknown command "${word}". Try "help".` };
  }
}
