/** Minimal Prometheus text exposition for our own counters and gauges (no client library needed). */
export class Metrics {
  #counters = new Map<string, number>();
  #help = new Map<string, string>();

  inc(name: string, labels: Record<string, string>, help: string, by = 1): void {
    this.#help.set(name, help);
    const key = `${name}{${Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
      .join(',')}}`;
    this.#counters.set(key, (this.#counters.get(key) ?? 0) + by);
  }

  /** Renders counters plus gauges computed at scrape time. */
  render(gauges: { name: string; help: string; value: number }[]): string {
    const lines: string[] = [];
    const seen = new Set<string>();
    const byName = [...this.#counters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, value] of byName) {
      const name = key.slice(0, key.indexOf('{'));
      if (!seen.has(name)) {
        seen.add(name);
        lines.push(`# HELP ${name} ${this.#help.get(name)}`, `# TYPE ${name} counter`);
      }
      lines.push(`${key} ${value}`);
    }
    for (const g of gauges)
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`, `${g.name} ${g.value}`);
    return `${lines.join('\n')}\n`;
  }
}
