/**
 * A named lease one instance holds at a time: the leader of the jobs only one instance may run
 * (ServiceNow polling, escalation and hand-off deadlines, shift handovers, the monthly report,
 * retention). Every instance asks; the database decides.
 */
export interface LeaderLease {
  /**
   * Takes the lease, or keeps it, for this instance until `until` (ISO time); true while this instance
   * holds it. Another instance's lease is taken over only once its `until` has passed.
   */
  hold(now: string, until: string): Promise<boolean>;
  /** Gives the lease up (clean shutdown), so another instance takes over at its next try. */
  release(): Promise<void>;
}

/** Where leader leases come from: one per name and holding instance. */
export interface Leadership {
  leaderLease(name: string, holder: string): LeaderLease;
}
