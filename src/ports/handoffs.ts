import type { Handoff, HandoffState } from '../core/handoff/handoff';

export type NewHandoff = Omit<Handoff, 'id'>;

/** Hand-offs as the API and chat read them. */
export interface HandoffReads {
  get(id: number): Promise<Handoff | null>;
  /** Newest first; `open` means offered, expired or escalated. */
  list(q: { state?: HandoffState | 'open'; incidentId?: number; limit: number }): Promise<Handoff[]>;
}

/** Hand-offs inside a unit of work (offer, decide, and the deadline timer). */
export interface HandoffWrites {
  get(id: number): Promise<Handoff | null>;
  /** Every hand-off of one incident, oldest first. */
  ofIncident(incidentId: number): Promise<Handoff[]>;
  /** Stores a new offer; a second open hand-off for the incident violates a unique index. */
  insert(h: NewHandoff): Promise<Handoff>;
  /** Open hand-offs whose deadline timer is due (a reminder or the expiry), soonest first. */
  due(now: string, limit: number): Promise<Handoff[]>;
  /** Writes state, reminder and decision of an existing hand-off. */
  update(h: Handoff): Promise<void>;
}
