import { z } from 'zod';
import { Duration } from '../core/time/duration';

/** Slack: non-secret settings (the token and signing secret come from the environment only). */
export const SlackConfig = z.strictObject({
  /** Off: no Slack at all (no messages, no /slack/events). On without a token: the sandbox emulator. */
  enabled: z.boolean().default(true),
  /** Web API base URL, with the trailing slash. Default Slack's; the sandbox emulator when no token is set. */
  apiUrl: z.url().optional(),
  /** Socket Mode instead of HTTP (needs SLACK_APP_TOKEN); for sites without inbound HTTPS. */
  socketMode: z.boolean().default(false),
  /**
   * At most one incident-message update per incident per interval (timeline changes coalesce); the
   * Teams card follows the same interval.
   */
  updateInterval: Duration.default(2),
  /**
   * Optional: post last month's SLA report (headline, HTML and CSV) to this channel on the 1st at `at`
   * (in sla.reportTimeZone). Posted once per month; retried while Slack is unreachable.
   */
  monthlyReport: z
    .strictObject({
      channel: z.string(),
      at: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
        .default('08:00'),
    })
    .optional(),
  /** Channel messages per second per channel (Slack allows about 1 with short bursts). */
  perChannel: z
    .strictObject({ perSecond: z.number().positive().default(1), burst: z.number().int().min(1).default(3) })
    .prefault({}),
});
export type SlackConfig = z.infer<typeof SlackConfig>;

/** Microsoft Teams: notify-only via a Workflows webhook, or two-way via the Agents SDK bot. */
export const TeamsConfig = z.strictObject({
  /**
   * Off: no /teams/messages and no cards. On: two-way with TEAMS_APP_ID (or the sandbox emulator without
   * it, outside NODE_ENV=production), notify-only when TEAMS_WORKFLOW_URL is set.
   */
  enabled: z.boolean().default(true),
});
export type TeamsConfig = z.infer<typeof TeamsConfig>;
