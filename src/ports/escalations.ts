import type { Escalation, NewEscalation } from '../core/escalation/escalation';

/** Escalation runs as the API reads them. */
export interface EscalationReads {
  /** Every run of one incident, oldest first. */
  ofIncident(incidentId: number): Promise<Escalation[]>;
}

/** Escalation runs inside a unit of work: started with the incident, advanced by the timer, stopped by an ack. */
export interface EscalationWrites {
  /** Stores a new run; a second running run of the same incident, provider and trigger violates a unique index. */
  insert(e: NewEscalation): Promise<Escalation>;
  /** Every run of one incident, oldest first (running, stopped and finished). */
  ofIncident(incidentId: number): Promise<Escalation[]>;
  /** Running runs whose next step is due, soonest first. */
  due(now: string, limit: number): Promise<Escalation[]>;
  /** Writes the next step, its due time, the state and the stop of an existing run. */
  update(e: Escalation): Promise<void>;
}
