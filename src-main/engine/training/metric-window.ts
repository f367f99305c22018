/** Running means of per-batch values, weighted by batch size, reset after each report. */
export class MetricWindow {
  private readonly sums = new Map<string, number>();
  private weight = 0;

  add(values: Record<string, number>, batchSize: number): void {
    for (const [key, value] of Object.entries(values)) {
      this.sums.set(key, (this.sums.get(key) ?? 0) + value * batchSize);
    }
    this.weight += batchSize;
  }

  get empty(): boolean {
    return this.weight === 0;
  }

  /** The means since the last flush, then starts over. */
  flush(): Record<string, number> {
    const means: Record<string, number> = {};
    for (const [key, sum] of this.sums) means[key] = sum / this.weight;
    this.sums.clear();
    this.weight = 0;
    return means;
  }
}
