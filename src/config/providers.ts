import { z } from 'zod';
import { Transition } from '../core/routing/transition';

/** A provider team: who owns incidents routed to it, where its tickets and chat messages go. */
export const Provider = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  displayName: z.string().optional(),
  assignmentGroup: z.string().optional(),
  jiraProject: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as DMS')
    .optional(),
  /** Where incident messages go: a Slack channel (id or #name) and/or a Teams conversation id. */
  chat: z
    .strictObject({ slackChannel: z.string().optional(), teamsChannel: z.string().optional() })
    .optional(),
  /**
   * Who may acknowledge, resolve and hand off this provider's incidents: Slack user ids (U…/W…) or
   * user-group ids (S…), Teams AAD object ids.
   */
  members: z
    .strictObject({
      slack: z
        .array(z.string().regex(/^[UWS][A-Z0-9]+$/, 'a Slack user id (U…) or user-group id (S…)'))
        .default([]),
      teams: z.array(z.string()).default([]),
    })
    .optional(),
  /** Who is on call now, shown by `/itsm oncall` (a rotation tool can rewrite this file). */
  oncall: z
    .array(
      z.strictObject({
        name: z.string(),
        slack: z.string().optional(),
        teams: z.string().optional(),
        phone: z.string().optional(),
      }),
    )
    .default([]),
  /** Transition mode for every incident routed to this provider: `shadow` and `cutover`. */
  ...Transition,
});
export type Provider = z.infer<typeof Provider>;
