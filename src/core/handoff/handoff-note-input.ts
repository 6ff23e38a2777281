/** What a person typed into a hand-off form (Slack modal, Teams card): trimmed text, or null when empty. */
export interface HandoffNoteInput {
  situation: string | null;
  actionsTaken: string | null;
  nextSteps: string | null;
  hypothesis: string | null;
  /** Comma-separated branch names. */
  branches: string | null;
  /** A whole number as typed; anything else is passed on for HandoffNote to refuse. */
  users: string | null;
  /** ISO date-time. */
  nextCheckpoint: string | null;
}

/**
 * The candidate note for `HandoffNote.safeParse` from a form's fields: empty optional fields left out
 * (as the API would have them), required ones as empty strings (so the schema names them), branches
 * split at commas, the user count as a number when it is one.
 */
export function handoffNoteCandidate(i: HandoffNoteInput): Record<string, unknown> {
  const branches = i.branches
    ?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const users = i.users === null ? undefined : /^\d{1,9}$/.test(i.users) ? Number(i.users) : i.users;
  const impact = {
    ...(branches?.length ? { branches } : {}),
    ...(users !== undefined ? { users } : {}),
  };
  return {
    situation: i.situation ?? '',
    actionsTaken: i.actionsTaken ?? '',
    nextSteps: i.nextSteps ?? '',
    ...(i.hypothesis ? { hypothesis: i.hypothesis } : {}),
    ...(Object.keys(impact).length ? { impact } : {}),
    ...(i.nextCheckpoint ? { nextCheckpoint: i.nextCheckpoint } : {}),
  };
}

/** The form field (Slack block id, Teams input id) behind a HandoffNote issue path. */
export function handoffFieldOf(path: readonly PropertyKey[]): keyof HandoffNoteInput | null {
  const [first, second] = path.map(String);
  if (first === 'impact') return second === 'users' ? 'users' : 'branches';
  const fields: readonly string[] = [
    'situation',
    'actionsTaken',
    'nextSteps',
    'hypothesis',
    'nextCheckpoint',
  ];
  return first !== undefined && fields.includes(first) ? (first as keyof HandoffNoteInput) : null;
}
