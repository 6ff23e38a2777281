import { z } from 'zod';
import { EscalationTarget, type EscalationPolicy, type EscalationStep } from '../core/escalation/escalation';
import { Duration } from '../core/time/duration';
import { OnCallPersonConfig } from './oncall';
import { SecretString } from './secret';

/**
 * The `escalation` section: per provider name, its lead and policies of timed steps per priority, which
 * run while an incident is unacknowledged; `serviceManager` and `paging` targets are shared.
 */

const Targets = z.array(EscalationTarget).min(1);

/** One step, `after` the incident opened (or the hand-off expired): exactly one of mention, dm, page. */
export const EscalationStepConfig = z.union([
  z.strictObject({ after: Duration, mention: Targets }),
  z.strictObject({ after: Duration, dm: Targets }),
  z.strictObject({ after: Duration, page: z.string().min(1) }),
]);
export type EscalationStepConfig = z.infer<typeof EscalationStepConfig>;

const Priority = z.number().int().min(1).max(5);

export const ProviderEscalationConfig = z.strictObject({
  /** The provider lead: DM'd by `lead` steps and when a hand-off from this provider is not accepted. */
  lead: OnCallPersonConfig.optional(),
  policies: z
    .array(
      z.strictObject({
        priorities: z.array(Priority).min(1),
        steps: z
          .array(EscalationStepConfig)
          .min(1)
          .max(20)
          .refine(
            (steps) => steps.every((s, i) => i === 0 || s.after >= steps[i - 1]!.after),
            'steps must be in order of `after`',
          ),
      }),
    )
    .default([]),
});
export type ProviderEscalationConfig = z.infer<typeof ProviderEscalationConfig>;

export const EscalationConfig = z.record(z.string(), ProviderEscalationConfig).default({});
export type EscalationConfig = z.infer<typeof EscalationConfig>;

/**
 * A paging endpoint, so that a phone can ring: PagerDuty's Events API v2 (`routingKey` is the
 * integration key of the service; without one the target pages the sandbox PagerDuty at
 * /sandbox/pagerduty) or a generic JSON webhook (optionally with a bearer token).
 */
export const PagingTargetConfig = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('pagerduty'),
    url: z.url().default('https://events.pagerduty.com/v2/enqueue'),
    routingKey: SecretString.optional(),
  }),
  z.strictObject({ kind: z.literal('webhook'), url: z.url(), token: SecretString.optional() }),
]);
export type PagingTargetConfig = z.infer<typeof PagingTargetConfig>;
export const PagingConfig = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), PagingTargetConfig).default({});
export type PagingConfig = z.infer<typeof PagingConfig>;

const toStep = (s: EscalationStepConfig): EscalationStep =>
  'mention' in s
    ? { after: s.after, kind: 'mention', targets: s.mention }
    : 'dm' in s
      ? { after: s.after, kind: 'dm', targets: s.dm }
      : { after: s.after, kind: 'page', page: s.page };

/** The policies of every provider as the core sees them, by provider name. */
export function escalationPolicies(cfg: EscalationConfig): Record<string, EscalationPolicy[]> {
  return Object.fromEntries(
    Object.entries(cfg).map(([provider, c]) => [
      provider,
      c.policies.map((p) => ({ priorities: p.priorities, steps: p.steps.map(toStep) })),
    ]),
  );
}

/** Problems the schema alone cannot see: unknown paging targets (paths relative to the whole config). */
export function escalationIssues(
  cfg: EscalationConfig,
  paging: PagingConfig,
): { path: (string | number)[]; message: string }[] {
  const known = Object.keys(paging);
  return Object.entries(cfg).flatMap(([provider, c]) =>
    c.policies.flatMap((p, i) =>
      p.steps.flatMap((s, j) =>
        'page' in s && !known.includes(s.page)
          ? [
              {
                path: ['escalation', provider, 'policies', i, 'steps', j, 'page'],
                message: `unknown paging target "${s.page}"; known: ${known.join(', ') || '(none: add one under paging:)'}`,
              },
            ]
          : [],
      ),
    ),
  );
}
