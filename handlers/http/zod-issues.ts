import type { z } from 'zod';

/** A failed parse as our `issues` list: the dotted path of each field (`(root)` for the body itself). */
export function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}
