import { OlaAccumulator } from './handoff-ola';
import { ShadowAccumulator } from './shadow-comparison';
import { ComplianceCounter, Counter } from './report-counters';
import type {
  AgreementStats,
  BreachRow,
  ProviderRow,
  RecordStatus,
  ReportRecord,
  SlaReport,
} from './report-model';
import { trendWindows, windowIndex, type MonthWindow } from './report-period';
import { mttrDistribution, NONE, toReportRecord } from './report-record';
import { NumberList, summarize } from './stats';
import type { SlaDefinition, SlaRecord, TicketHistory } from './types';

/** What a report is about; `generatedAt` comes from the caller's clock (the core never reads time). */
export interface ReportOptions {
  month: string;
  timeZone: string;
  trendMonths: number;
  definitions: SlaDefinition[];
  source: string;
  generatedAt: string;
  /** Keep one row per record for CSV/JSON; off for the million-ticket benchmark. */
  keepRecords: boolean;
  /**
   * The caller's now (epoch ms). Tickets are evaluated at min(now, month end), so a month in progress
   * shows open clocks as they stand now, not projected to the month end. Omitted: the month is complete.
   */
  now?: number;
  /** Provider changes that make an incident ping-pong (default 3). */
  pingPongChanges?: number;
}

/** Verdict a record contributes to compliance: cancelled and target-less records contribute none. */
export function verdict(r: SlaRecord): 'met' | 'breached' | null {
  if (r.breached === null || r.stage === 'cancelled') return null;
  if (r.breached) return 'breached';
  return r.stage === 'completed' ? 'met' : null;
}

/**
 * Folds evaluated tickets into the monthly report, one ticket at a time, so a million tickets stream
 * through in bounded memory. Period rules (docs/sla-report.md): a record counts in the month its
 * ticket was resolved (a resolution cycle in the month its cycle stopped; a response record with the
 * ticket's first resolution); tickets still open at month end are listed with their SLA status as of
 * month end, and their breaches are listed, but they enter compliance only once resolved.
 */
export class ReportAccumulator {
  readonly windows: MonthWindow[];
  readonly window: MonthWindow;
  private readonly compliance: ComplianceCounter;
  private readonly trend: { resolved: number; compliance: ComplianceCounter; breaches: number }[];
  private readonly mtta = { business: new NumberList(), wall: new NumberList() };
  private readonly mttr = { business: new NumberList(), wall: new NumberList() };
  private readonly volumes = {
    byPriority: new Counter(),
    byBranch: new Counter(),
    byService: new Counter(),
    byCategory: new Counter(),
  };
  private readonly providers = new Map<string, ProviderRow>();
  private readonly breaches: BreachRow[] = [];
  private readonly records: ReportRecord[] = [];
  private readonly agreement: AgreementStats = {
    compared: 0,
    agree: 0,
    percent: null,
    bothMet: 0,
    bothBreached: 0,
    onlyOursBreached: 0,
    onlyTheirsBreached: 0,
  };
  private readonly totals = { tickets: 0, resolved: 0, openAtMonthEnd: 0, records: 0, breaches: 0 };
  private readonly hasResolution: boolean;
  private readonly ola: OlaAccumulator;
  private readonly transition: ShadowAccumulator;

  constructor(private readonly options: ReportOptions) {
    this.windows = trendWindows(options.month, options.trendMonths, options.timeZone);
    this.window = this.windows[this.windows.length - 1] as MonthWindow;
    const targetOf = (id: string, p: number) =>
      options.definitions.find((d) => d.id === id)?.targets[p]?.seconds ?? null;
    this.compliance = new ComplianceCounter(targetOf);
    this.trend = this.windows.map(() => ({
      resolved: 0,
      compliance: new ComplianceCounter(targetOf),
      breaches: 0,
    }));
    this.hasResolution = options.definitions.some((d) => d.kind === 'resolution');
    this.ola = new OlaAccumulator(this.window, this.asOf, options.pingPongChanges ?? 3);
    this.transition = new ShadowAccumulator(this.window, this.asOf);
  }

  /** Evaluation instant for every ticket: the end of the report month, or now while it is in progress. */
  get asOf(): number {
    return Math.min(this.options.now ?? Infinity, this.window.end);
  }

  /** True while the report month has not ended: open clocks are shown as of now. */
  get monthInProgress(): boolean {
    return this.asOf < this.window.end;
  }

  /**
   * Adds one ticket with its records evaluated as of `asOf`, and ServiceNow's `made_sla` as of `asOf`
   * (`TicketEvaluation.externalMadeSla`; defaults to the ticket's own value).
   */
  add(
    ticket: TicketHistory,
    records: SlaRecord[],
    externalMadeSla: boolean | null = ticket.externalMadeSla ?? null,
  ): void {
    // Hand-offs count in the month they were offered, whether or not the ticket is in this month's figures.
    this.ola.add(ticket);
    // Transition mode: counted in the month the incident opened (readiness before the cut-over).
    this.transition.add(ticket);
    const resolution = records.filter((r) => r.kind === 'resolution');
    const firstResolved = resolution.find((r) => r.cycle === 1 && r.stage === 'completed')?.stoppedAt ?? null;
    const open = resolution.some((r) => r.stage === 'running' || r.stage === 'paused');
    const last = this.windows.length - 1;
    const resolvedIn = new Set<number>();
    const counted: SlaRecord[] = [];
    for (const r of records) {
      const anchor =
        r.kind === 'resolution' || !this.hasResolution
          ? r.stage === 'completed' || r.stage === 'cancelled'
            ? r.stoppedAt
            : null
          : firstResolved;
      const wi = anchor === null ? -1 : windowIndex(this.windows, anchor);
      if (wi < 0) continue;
      if (r.kind === 'resolution' && r.stage === 'completed') resolvedIn.add(wi);
      const v = verdict(r);
      const bucket = this.trend[wi];
      if (bucket && v) {
        bucket.compliance.add(r.definitionId, r.kind, r.priority, v === 'breached');
        if (v === 'breached') bucket.breaches++;
      }
      if (wi === last) counted.push(r);
    }
    for (const wi of resolvedIn) (this.trend[wi] as { resolved: number }).resolved++;
    const resolvedInMonth = resolvedIn.has(last);
    if (!resolvedInMonth && !open) return;
    const openRecords = open ? records.filter((r) => r.stage === 'running' || r.stage === 'paused') : [];
    const withMadeSla = { ...ticket, externalMadeSla };
    this.addTicket(withMadeSla, records, counted, openRecords, resolvedInMonth, open);
  }

  private addTicket(
    ticket: TicketHistory,
    all: SlaRecord[],
    counted: SlaRecord[],
    openRecords: SlaRecord[],
    resolved: boolean,
    open: boolean,
  ): void {
    this.totals.tickets++;
    if (resolved) this.totals.resolved++;
    if (open) this.totals.openAtMonthEnd++;
    const priority = [...all].reverse().find((r) => r.priority !== null)?.priority ?? null;
    this.volumes.byPriority.add(priority === null ? NONE : `P${priority}`);
    this.volumes.byBranch.add(ticket.branch || NONE);
    this.volumes.byService.add(ticket.service || NONE);
    this.volumes.byCategory.add(ticket.category || NONE);
    const held = new Set<string>();
    for (const r of counted) {
      const v = verdict(r);
      if (v) this.compliance.add(r.definitionId, r.kind, r.priority, v === 'breached');
      if (r.stage === 'completed') {
        const target = r.kind === 'response' ? this.mtta : this.mttr;
        target.business.push(r.elapsedBusinessSeconds);
        target.wall.push(((r.stoppedAt ?? r.startedAt) - r.startedAt) / 1000);
      }
      if (r.kind === 'resolution') {
        for (const [p, s] of Object.entries(r.heldBy)) {
          this.provider(p).heldBusinessSeconds += s;
          held.add(p);
        }
      }
      this.addRecord(ticket, r, 'resolved');
    }
    for (const p of held) this.provider(p).tickets++;
    for (const r of openRecords) this.addRecord(ticket, r, 'open');
    if (resolved && ticket.externalMadeSla != null)
      this.compare(ticket.externalMadeSla, !all.some((r) => r.breached === true));
  }

  private addRecord(ticket: TicketHistory, r: SlaRecord, status: RecordStatus): void {
    this.totals.records++;
    const branch = ticket.branch || NONE;
    if (r.breached === true && r.breachedAt !== null && r.targetSeconds !== null) {
      this.totals.breaches++;
      const provider = r.breachHolder ?? NONE;
      this.provider(provider).breaches++;
      this.breaches.push({
        number: r.number,
        definitionId: r.definitionId,
        kind: r.kind,
        cycle: r.cycle,
        priority: r.priority,
        targetSeconds: r.targetSeconds,
        actualBusinessSeconds: r.elapsedBusinessSeconds,
        breachedAt: new Date(r.breachedAt).toISOString(),
        provider,
        branch,
        status,
      });
    }
    if (this.options.keepRecords) this.records.push(toReportRecord(ticket, r, status));
  }

  private provider(name: string): ProviderRow {
    let row = this.providers.get(name);
    if (!row)
      this.providers.set(name, (row = { provider: name, heldBusinessSeconds: 0, tickets: 0, breaches: 0 }));
    return row;
  }

  private compare(theirsMet: boolean, oursMet: boolean): void {
    const a = this.agreement;
    a.compared++;
    if (theirsMet === oursMet) a.agree++;
    if (theirsMet && oursMet) a.bothMet++;
    else if (!theirsMet && !oursMet) a.bothBreached++;
    else if (theirsMet) a.onlyOursBreached++;
    else a.onlyTheirsBreached++;
  }

  /** The finished report. */
  finish(): SlaReport {
    const o = this.options;
    const wall = this.mttr.wall.values();
    return {
      schemaVersion: 1,
      month: o.month,
      timeZone: o.timeZone,
      period: {
        start: new Date(this.window.start).toISOString(),
        end: new Date(this.window.end).toISOString(),
      },
      source: o.source,
      generatedAt: o.generatedAt,
      asOf: new Date(this.asOf).toISOString(),
      monthInProgress: this.monthInProgress,
      definitions: o.definitions.map((d) => ({
        id: d.id,
        name: d.name,
        kind: d.kind,
        targets: Object.fromEntries(Object.entries(d.targets).filter(([, t]) => t)) as Record<
          string,
          { seconds: number; calendar: string }
        >,
      })),
      totals: { ...this.totals },
      compliance: this.compliance.list(),
      breaches: this.breaches.sort(
        (a, b) => a.breachedAt.localeCompare(b.breachedAt) || a.number.localeCompare(b.number),
      ),
      mtta: { business: summarize(this.mtta.business.values()), wall: summarize(this.mtta.wall.values()) },
      mttr: { business: summarize(this.mttr.business.values()), wall: summarize(wall) },
      mttrDistribution: mttrDistribution(wall),
      volumes: {
        byPriority: this.volumes.byPriority.rows().sort((a, b) => a.key.localeCompare(b.key)),
        byBranch: this.volumes.byBranch.rows(),
        byService: this.volumes.byService.rows(),
        byCategory: this.volumes.byCategory.rows(),
      },
      providers: [...this.providers.values()].sort(
        (a, b) => b.heldBusinessSeconds - a.heldBusinessSeconds || a.provider.localeCompare(b.provider),
      ),
      trend: this.windows.map((w, i) => {
        const t = this.trend[i] as (typeof this.trend)[number];
        return {
          month: w.month,
          resolvedTickets: t.resolved,
          responsePercent: t.compliance.percentOf('response'),
          resolutionPercent: t.compliance.percentOf('resolution'),
          breaches: t.breaches,
        };
      }),
      agreement: this.agreement.compared
        ? { ...this.agreement, percent: (this.agreement.agree / this.agreement.compared) * 100 }
        : null,
      ola: this.ola.finish(),
      transition: this.transition.finish(),
      records: this.records,
    };
  }
}
