import { z } from 'zod';
import { Duration } from '../core/time/duration';

const Days = Duration.refine((s) => s >= 86_400, 'at least 1d');

/**
 * The `retention` section: how long each kind of personal data is kept before the daily purge (or
 * `itsm-bridge purge`) removes or pseudonymises it. What each kind covers is listed in docs/privacy.md.
 */
export const RetentionConfig = z
  .strictObject({
    /** The daily purge runs; off leaves only the `purge` command. */
    enabled: z.boolean().default(true),
    /** Local time (HH:MM, in `sla.reportTimeZone`) of the daily purge. */
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, e.g. 03:30')
      .default('03:30'),
    /** Labels, annotations, description and links of processed alerts in the inbox. */
    alertPayloads: Days.prefault('90d'),
    /** What people wrote: notes, resolve notes, hand-off notes and reasons, ticket comments queued. */
    chatTexts: Days.prefault('180d'),
    /** Who people are: names and chat ids in the timeline, acknowledgements, hand-offs, audit details. */
    personalNames: Days.prefault('365d'),
  })
  .prefault({});
export type RetentionConfig = z.infer<typeof RetentionConfig>;
