import type { z } from 'zod';

/** The first problem of a failed parse as `path: message`, for errors that name the field. */
export function firstIssue(e: z.ZodError, where = 'value'): string {
  const issue = e.issues[0];
  return `${issue?.path.length ? issue.path.join('.') : where}: ${issue?.message ?? 'invalid'}`;
}
