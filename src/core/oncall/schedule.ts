/**
 * An on-call schedule as the pure core sees it: instants are epoch milliseconds, wall-clock settings are
 * civil strings interpreted in the schedule's IANA time zone.
 */

/** Someone who can be on call, with the ways to reach them. */
export interface OnCallPerson {
  name: string;
  /** Slack user id (U…). */
  slackUser?: string;
  /** Teams AAD object id. */
  teamsUser?: string;
  email?: string;
  phone?: string;
}

/** One layer of a rotation: its people take turns, one shift each, in list order. */
export interface RotationLayer {
  name: string;
  people: readonly OnCallPerson[];
  /** Length of a shift in wall-clock seconds: a week is seven local days, whatever DST does. */
  lengthSeconds: number;
  /** Local date of the first handover, `YYYY-MM-DD` (moved forward to `handoverDay` when given). */
  startDate: string;
  /** Local time of the handovers, `HH:MM`. */
  handoverTime: string;
  /** Weekday of the handover for weekly rotations, 0 = Sunday … 6 = Saturday. */
  handoverDay?: number;
}

/** Someone covering for the rotation from `from` (inclusive) to `to` (exclusive). */
export interface OnCallOverride {
  person: OnCallPerson;
  from: number;
  to: number;
}

/**
 * A provider's schedule. Later layers sit above earlier ones (the highest layer with someone on call
 * wins); overrides win over every layer, and a later override over an earlier one.
 */
export interface OnCallSchedule {
  timeZone: string;
  layers: readonly RotationLayer[];
  overrides: readonly OnCallOverride[];
}

/** A stretch of time with one person on call, `from` inclusive, `to` exclusive. */
export interface Shift {
  person: OnCallPerson;
  from: number;
  to: number;
}

/** Two entries name the same person with the same contact details. */
export function samePerson(a: OnCallPerson, b: OnCallPerson): boolean {
  return (
    a.name === b.name &&
    a.slackUser === b.slackUser &&
    a.teamsUser === b.teamsUser &&
    a.email === b.email &&
    a.phone === b.phone
  );
}
