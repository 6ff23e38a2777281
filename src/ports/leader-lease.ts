/**
 * A named lease one instance holds at a time: the leader of the jobs only one instance may run
 * (ServiceNow polling, escalation and hand-off deadlines, shift handovers, the monthly report,
 * retention). Every instance asks; the database decides.
 */
export interface LeaderLease {
  /**
   * Takes the lease, or keeps it, for this instance for `until − now` (ISO times, the caller's clock);
   * true while this instance holds it. Another instance's lease is taken over only once it has run out
   * by the lease's referee clock: the caller's on SQLite (every instance on one machine), the
   * database's on PostgreSQL (instances on several machines, whose clocks may disagree).
   */
  hold(now: string, until: string): Promise<boolean>;
  /**
   * Milliseconds until the current holder's lease runs out by the referee clock (0: nobody holds it,
   * or it has run out): when a refused `hold` can next succeed, unless the holder renews first.
   */
  endsIn(now: string): Promise<number>;
  /** Gives the lease up (clean shutdown), so another instance takes over at its next try. */
  release(): Promise<void>;
}

/** Where leader leases come from: one per name and holding instance. */
export interface Leadership {
  leaderLease(name: string, holder: string): LeaderLease;
}
