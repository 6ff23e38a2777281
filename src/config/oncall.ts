import { z } from 'zod';
import type { OnCallPerson, OnCallSchedule } from '../core/oncall/schedule';
import { Duration } from '../core/time/duration';
import { TimeZone } from './sla';

/**
 * The `oncall` section: per provider name, rotation layers of people and overrides. A provider without an
 * entry here keeps its static `providers[].oncall` list.
 */

export const OnCallPersonConfig = z.strictObject({
  name: z.string().min(1),
  slackUser: z
    .string()
    .regex(/^[UW][A-Z0-9]+$/, 'a Slack user id (U…)')
    .optional(),
  /** Teams AAD object id. */
  teamsUser: z.string().optional(),
  email: z.email().optional(),
  phone: z.string().optional(),
});
export type OnCallPersonConfig = z.infer<typeof OnCallPersonConfig>;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const Weekday = z.enum([...WEEKDAYS, ...WEEKDAYS.map((d) => d.slice(0, 3))] as [string, ...string[]]);

const HOUR = 3600;
const WEEK = 7 * 86400;

export const RotationLayerConfig = z
  .strictObject({
    name: z.string().default('primary'),
    /** Shift length on the local wall clock: `1w`, `1d`, `12h` (whole minutes, at least one hour). */
    length: Duration.refine((s) => s >= HOUR && s % 60 === 0, 'at least 1h, in whole minutes'),
    /** Local handover time `HH:MM`, and the weekday for rotations of whole weeks. */
    handover: z.strictObject({
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, e.g. 09:00'),
      day: Weekday.optional(),
    }),
    /** Local date the rotation starts (the first handover is on or after it); the first person starts. */
    start: z.iso.date(),
    people: z.array(OnCallPersonConfig).min(1),
  })
  .superRefine((layer, ctx) => {
    if (layer.handover.day !== undefined && layer.length % WEEK !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['handover', 'day'],
        message: 'a handover day needs a length of whole weeks (1w, 2w, …)',
      });
  });
export type RotationLayerConfig = z.infer<typeof RotationLayerConfig>;

export const OnCallOverrideConfig = z
  .strictObject({
    /** A person of the provider's layers by name, or someone else in full. */
    person: z.union([z.string().min(1), OnCallPersonConfig]),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
  })
  .refine((o) => Date.parse(o.from) < Date.parse(o.to), { path: ['to'], message: 'must be after from' });

export const ProviderOnCallConfig = z
  .strictObject({
    timeZone: TimeZone.default('Europe/Berlin'),
    /** Later layers sit above earlier ones: the highest layer with someone on call wins. */
    layers: z.array(RotationLayerConfig).min(1),
    overrides: z.array(OnCallOverrideConfig).default([]),
  })
  .superRefine((cfg, ctx) => {
    const names = new Set(cfg.layers.flatMap((l) => l.people.map((p) => p.name)));
    cfg.overrides.forEach((o, i) => {
      if (typeof o.person === 'string' && !names.has(o.person))
        ctx.addIssue({
          code: 'custom',
          path: ['overrides', i, 'person'],
          message: `"${o.person}" is in no layer; known: ${[...names].join(', ')} (or give the person in full)`,
        });
    });
  });
export type ProviderOnCallConfig = z.infer<typeof ProviderOnCallConfig>;

/** `oncall:` keyed by provider name. */
export const OnCallConfig = z.record(z.string(), ProviderOnCallConfig).default({});
export type OnCallConfig = z.infer<typeof OnCallConfig>;

const person = (p: OnCallPersonConfig): OnCallPerson => ({ ...p });

/** The pure schedule of one provider's validated config (override names resolved to their people). */
export function toOnCallSchedule(cfg: ProviderOnCallConfig): OnCallSchedule {
  const byName = new Map(cfg.layers.flatMap((l) => l.people.map((p) => [p.name, p] as const)));
  return {
    timeZone: cfg.timeZone,
    layers: cfg.layers.map((l) => ({
      name: l.name,
      people: l.people.map(person),
      lengthSeconds: l.length,
      startDate: l.start,
      handoverTime: l.handover.time,
      ...(l.handover.day === undefined
        ? {}
        : { handoverDay: WEEKDAYS.findIndex((d) => d.startsWith(l.handover.day!)) }),
    })),
    overrides: cfg.overrides.map((o) => ({
      person:
        typeof o.person === 'string' ? person(byName.get(o.person) ?? { name: o.person }) : person(o.person),
      from: Date.parse(o.from),
      to: Date.parse(o.to),
    })),
  };
}

/** Every configured provider's schedule, by provider name. */
export function onCallSchedules(cfg: OnCallConfig): Record<string, OnCallSchedule> {
  return Object.fromEntries(Object.entries(cfg).map(([name, c]) => [name, toOnCallSchedule(c)]));
}
