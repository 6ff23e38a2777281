import { z } from 'zod';

/** A provider team: who owns incidents routed to it, where its tickets and chat messages go. */
export const Provider = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  displayName: z.string().optional(),
  assignmentGroup: z.string().optional(),
  jiraProject: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as DMS')
    .optional(),
  chat: z
    .strictObject({ slackChannel: z.string().optional(), teamsChannel: z.string().optional() })
    .optional(),
  members: z
    .strictObject({ slack: z.array(z.string()).default([]), teams: z.array(z.string()).default([]) })
    .optional(),
});
export type Provider = z.infer<typeof Provider>;
