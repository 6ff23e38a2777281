import { z } from 'zod';
import type { Alert } from '../alert/alert';
import { priorityOf, urgencyFromSeverity, type Level } from '../priority/priority';
import { Matcher, matches } from './matcher';
import { Transition, transitionRoles, type TransitionSettings } from './transition';

const LevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const RoutingRule = z.strictObject({
  name: z.string().min(1),
  /** Any entry matches (like runbook matchers). */
  match: z.array(Matcher).min(1),
  provider: z.string().optional(),
  impact: LevelSchema.optional(),
  urgency: LevelSchema.optional(),
  runbook: z.string().optional(),
  /** Labels (or host/service/branch/source) whose values make up the group: one group = one incident. */
  groupBy: z.array(z.string().min(1)).optional(),
  /** Transition mode for this rule's incidents (wins over the provider's): `shadow` and `cutover`. */
  ...Transition,
});
export type RoutingRule = z.infer<typeof RoutingRule>;

export const Routing = z.strictObject({
  defaults: z
    .strictObject({
      provider: z.string().default('infra'),
      impact: LevelSchema.default(3),
      urgency: LevelSchema.optional(),
      groupBy: z.array(z.string().min(1)).default(['alertname', 'branch']),
    })
    .prefault({}),
  rules: z.array(RoutingRule).default([]),
});
export type Routing = z.infer<typeof Routing>;

/** Where an alert goes and which incident group it belongs to. */
export interface Route {
  rule: string;
  /** The owner: the configured provider, or its shadow after the cutover. */
  provider: string;
  /** The shadow provider in transition mode, else null. */
  shadow: string | null;
  impact: Level;
  urgency: Level;
  priority: 1 | 2 | 3 | 4 | 5;
  runbookId: string | null;
  groupKey: string;
}

/** Value of a group-by name: a label first, then the canonical fields, so Icinga/Checkmk group by host too. */
function groupValue(alert: Alert, name: string): string | undefined {
  const label = alert.labels[name];
  if (label !== undefined) return label;
  if (name === 'host' || name === 'service' || name === 'branch') return alert[name] ?? undefined;
  if (name === 'source') return alert.source;
  return undefined;
}

/**
 * First matching rule wins; unset fields fall back to the defaults. In transition mode (`shadow` on
 * the rule or its provider) the owner and the shadow are those at `transition.at`. The group key is
 * `provider/rule/name=value,…`; an alert carrying none of the group-by values gets its own group (its
 * dedup key), so unrelated unlabelled alerts never collapse into one incident.
 */
export function routeAlert(
  alert: Alert,
  routing: Routing,
  transition: { at: number; providers?: Readonly<Record<string, TransitionSettings>> } = { at: 0 },
): Route {
  const rule = routing.rules.find((r) => r.match.some((m) => matches(m, alert)));
  const d = routing.defaults;
  const provider = rule?.provider ?? d.provider;
  const impact = rule?.impact ?? d.impact;
  const urgency = rule?.urgency ?? d.urgency ?? urgencyFromSeverity(alert.severity);
  const groupBy = rule?.groupBy ?? d.groupBy;
  const parts = groupBy.map((name) => [name, groupValue(alert, name)] as const);
  const ruleName = rule?.name ?? 'default';
  const groupKey = parts.some(([, v]) => v !== undefined)
    ? `${provider}/${ruleName}/${parts.map(([n, v]) => `${n}=${v ?? ''}`).join(',')}`
    : `${provider}/${ruleName}/key=${alert.dedupKey}`;
  // The group key keeps the configured provider, so an incident open at the cutover keeps its alerts.
  const roles = transitionRoles(provider, [rule, transition.providers?.[provider]], transition.at);
  return {
    rule: ruleName,
    provider: roles.owner,
    shadow: roles.shadow,
    impact,
    urgency,
    priority: priorityOf(impact, urgency),
    runbookId: rule?.runbook ?? null,
    groupKey,
  };
}
