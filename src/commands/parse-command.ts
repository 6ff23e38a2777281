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
  | { name: 'shift'; provider: string | null }
  | { name: 'shift_ack'; id: number }
  | { name: 'report'; month: string }
  | { name: 'handoff'; ref: string; to: string | null }
  | {
      name: 'handoff_offer';
      ref: string;
      to: string;
      note: { situation: string; actionsTaken: string; nextSteps: string };
    }
  | { name: 'handoff_decide'; id: number; decision: 'accept' | 'cancel' }
  | { name: 'handoff_reject'; id: number; reason: string }
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
  shift:
    'shift [provider] — hand the shift over now: the open incidents for the incoming on-call; shift ack <id> acknowledges a handover',
  report: 'report <YYYY-MM> — the monthly SLA report (headline, HTML and CSV)',
  handoff:
    'handoff <ref> [to <provider>] — the hand-off dialog; or handoff <ref> to <provider> | <situation> | <actions taken> | <next steps>; handoff accept|cancel <id>, handoff reject <id> <reason>',
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
    case 'handoff':
      return parseHandoff(ref, rest, tail, needRef, badRef);
    case 'show':
    case 'ack':
    case 'runbook': {
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
    case 'shift': {
      if (ref.toLowerCase() !== 'ack')
        return rest.length > 1
          ? { name: 'invalid', message: `Usage: ${USAGE.shift}` }
          : { name: 'shift', provider: ref || null };
      const id = Number(rest[1]);
      return Number.isInteger(id) && id > 0 && rest.length === 2
        ? { name: 'shift_ack', id }
        : { name: 'invalid', message: `Which handover? Usage: ${USAGE.shift}` };
    }
    case 'report': {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(ref))
        return { name: 'invalid', message: `Which month? Usage: ${USAGE.report} (e.g. report 2026-10)` };
      return { name: 'report', month: ref };
    }
    default:
      return { name: 'invalid', message: `Unknown command "${word}". Try "help".` };
  }
}

/**
 * `handoff <ref> [to <provider>]` (the dialog asks for the rest), `handoff <ref> to <provider> | situation | actions | next steps`,
 * `handoff accept|cancel <id>`, `handoff reject <id> <reason>`.
 */
function parseHandoff(
  first: string,
  rest: string[],
  tail: string,
  needRef: () => string | null,
  badRef: () => ParsedCommand,
): ParsedCommand {
  const verb = first.toLowerCase();
  if (verb === 'accept' || verb === 'cancel' || verb === 'reject') {
    const id = /^#?([1-9][0-9]{0,9})$/.exec(rest[1] ?? '')?.[1];
    if (!id)
      return {
        name: 'invalid',
        message: `Which hand-off? Usage: handoff ${verb} <id>${verb === 'reject' ? ' <reason>' : ''}`,
      };
    if (verb !== 'reject') return { name: 'handoff_decide', id: Number(id), decision: verb };
    const reason = rest.slice(2).join(' ').trim();
    if (!reason)
      return { name: 'invalid', message: 'A rejection needs a reason: handoff reject <id> <reason>' };
    return { name: 'handoff_reject', id: Number(id), reason };
  }
  const ref = needRef();
  if (!ref) return badRef();
  if (!tail) return { name: 'handoff', ref, to: null };
  const m = /^to\s+([a-z][a-z0-9-]*)\s*(.*)$/i.exec(tail);
  if (!m) return { name: 'invalid', message: `Usage: ${USAGE.handoff}` };
  if (!m[2]) return { name: 'handoff', ref, to: m[1]!.toLowerCase() };
  const [situation = '', actionsTaken = '', nextSteps = ''] = (m[2] ?? '')
    .replace(/^\|/, '')
    .split('|')
    .map((p) => p.trim());
  if (!situation || !actionsTaken || !nextSteps)
    return {
      name: 'invalid',
      message: `A hand-off needs a situation, the actions taken and the next steps. Usage: ${USAGE.handoff}`,
    };
  return {
    name: 'handoff_offer',
    ref,
    to: m[1]!.toLowerCase(),
    note: { situation, actionsTaken, nextSteps },
  };
}
