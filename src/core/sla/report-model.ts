import type { OlaReport } from './handoff-ola';
import type { ShadowComparison } from './shadow-comparison';
import type { Summary } from './stats';
import type { SlaKind, SlaStage } from './types';

/** Why a record is in the report: its ticket was resolved in the month, or is still open at month end. */
export type RecordStatus = 'resolved' | 'open';

/** One SLA record with its ticket's attributes: a CSV row, and the unit every figure is summed from. */
export interface ReportRecord {
  number: string;
  ticketId: string;
  definitionId: string;
  kind: SlaKind;
  cycle: number;
  status: RecordStatus;
  priority: number | null;
  targetSeconds: number | null;
  calendar: string | null;
  startedAt: string;
  stoppedAt: string | null;
  stage: SlaStage;
  elapsedBusinessSeconds: number;
  elapsedWallSeconds: number;
  pausedBusinessSeconds: number;
  pausedWallSeconds: number;
  breached: boolean | null;
  breachedAt: string | null;
  dueAt: string | null;
  breachProvider: string | null;
  branch: string;
  service: string;
  category: string;
  externalMadeSla: boolean | null;
}

export interface ComplianceRow {
  definitionId: string;
  kind: SlaKind;
  /** null for the all-priorities row. */
  priority: number | null;
  targetSeconds: number | null;
  total: number;
  met: number;
  breached: number;
  /** met / total × 100; null when total is 0. */
  percent: number | null;
}

export interface BreachRow {
  number: string;
  definitionId: string;
  kind: SlaKind;
  cycle: number;
  priority: number | null;
  targetSeconds: number;
  actualBusinessSeconds: number;
  breachedAt: string;
  provider: string;
  branch: string;
  status: RecordStatus;
}

export interface CountRow {
  key: string;
  count: number;
}

export interface ProviderRow {
  provider: string;
  /** Business seconds the resolution clock ran while the provider held the ticket. */
  heldBusinessSeconds: number;
  tickets: number;
  breaches: number;
}

export interface TrendRow {
  month: string;
  resolvedTickets: number;
  responsePercent: number | null;
  resolutionPercent: number | null;
  breaches: number;
}

export interface DurationStats {
  /** Business time on the SLA's calendar, pauses excluded (the SLA clock). */
  business: Summary;
  /** Calendar time from clock start to stop, pauses included. */
  wall: Summary;
}

export interface AgreementStats {
  compared: number;
  agree: number;
  percent: number | null;
  bothMet: number;
  bothBreached: number;
  /** We found a breach, ServiceNow says made_sla = true. */
  onlyOursBreached: number;
  /** ServiceNow says made_sla = false, we found none. */
  onlyTheirsBreached: number;
}

/** The monthly SLA report. Its JSON form is documented in docs/sla-report.md (schemaVersion 1). */
export interface SlaReport {
  schemaVersion: 1;
  month: string;
  timeZone: string;
  period: { start: string; end: string };
  source: string;
  generatedAt: string;
  /** Instant every ticket was evaluated at: the period end, or the generation time while in progress. */
  asOf: string;
  /** The month had not ended when the report was made: open clocks are as of `asOf`, figures will change. */
  monthInProgress: boolean;
  definitions: {
    id: string;
    name: string;
    kind: SlaKind;
    targets: Record<string, { seconds: number; calendar: string }>;
  }[];
  totals: { tickets: number; resolved: number; openAtMonthEnd: number; records: number; breaches: number };
  compliance: ComplianceRow[];
  breaches: BreachRow[];
  mtta: DurationStats;
  mttr: DurationStats;
  /** Resolution wall-clock durations in buckets, for the MTTR distribution chart. */
  mttrDistribution: CountRow[];
  volumes: { byPriority: CountRow[]; byBranch: CountRow[]; byService: CountRow[]; byCategory: CountRow[] };
  providers: ProviderRow[];
  trend: TrendRow[];
  agreement: AgreementStats | null;
  /** Hand-offs and the acceptance OLA per provider; null when the source knows no hand-offs. */
  ola: OlaReport | null;
  /** Transition mode: owner and shadow compared over the incidents opened in the month; null without any. */
  transition: ShadowComparison | null;
  records: ReportRecord[];
}
