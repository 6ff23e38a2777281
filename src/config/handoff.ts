import { z } from 'zod';

/** `handoff:` — what an accepted hand-off does beyond the ownership change, and the ping-pong limit. */
export const HandoffConfig = z
  .strictObject({
    /**
     * The Nth change of provider on one incident goes to the service manager (ITIL: functional
     * escalation has failed, hierarchical is due).
     */
    pingPongAfter: z.number().int().min(2).max(20).default(3),
    jira: z
      .strictObject({
        /**
         * On accept the receiving provider gets a new issue in its project, linked to the original with
         * this issue link type (Jira's standard "Relates": "relates to").
         */
        linkType: z.string().min(1).max(100).default('Relates'),
        /** A transition (by name) for the original issue on accept; null: it stays where it is. */
        transition: z.string().min(1).max(100).nullable().default(null),
      })
      .prefault({}),
  })
  .prefault({});
export type HandoffConfig = z.infer<typeof HandoffConfig>;
