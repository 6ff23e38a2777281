import type { NewShiftHandover, ShiftHandover } from '../core/oncall/shift-handover';

/** Shift handovers as the API reads them. */
export interface ShiftHandoverReads {
  get(id: number): Promise<ShiftHandover | null>;
  /** Newest first, of one provider or all. */
  list(q: { provider?: string; limit: number }): Promise<ShiftHandover[]>;
}

/** Shift handovers inside a unit of work (the rotation timer, `/itsm shift`, the acknowledgement). */
export interface ShiftHandoverWrites {
  get(id: number): Promise<ShiftHandover | null>;
  /** The rotation handover of a provider at a change, if one was made. */
  rotationAt(provider: string, at: string): Promise<ShiftHandover | null>;
  /** Stores a new handover; a second rotation handover for the same change violates a unique index. */
  insert(h: NewShiftHandover): Promise<ShiftHandover>;
  /** Unacknowledged handovers whose escalation is due, soonest first. */
  due(now: string, limit: number): Promise<ShiftHandover[]>;
  update(h: ShiftHandover): Promise<void>;
}
