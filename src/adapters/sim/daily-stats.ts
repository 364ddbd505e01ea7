// Rolling daily statistics for the impact model, built only from data already seen.

/**
 * Tracks completed trading days: their last close and total volume, over a window of N days.
 * Intraday bars are summed into their day; a day counts once the first bar of a later day arrives.
 */
export class DailyStats {
  private readonly closes: Float64Array;
  private readonly volumes: Float64Array;
  private count = 0;
  private head = 0;
  private currentDay = -1;
  private currentClose = NaN;
  private currentVolume = 0;

  constructor(
    private readonly volatilityDays: number,
    private readonly volumeDays: number,
  ) {
    // Volatility over N days needs N returns, hence N + 1 closes.
    const size = Math.max(volatilityDays + 1, volumeDays);
    this.closes = new Float64Array(size);
    this.volumes = new Float64Array(size);
  }

  /** Close the current day if `day` starts a new one. Call before matching a bar, so stats never include it. */
  rollTo(day: number): void {
    if (day === this.currentDay) return;
    if (this.currentDay !== -1) {
      this.closes[this.head] = this.currentClose;
      this.volumes[this.head] = this.currentVolume;
      this.head = (this.head + 1) % this.closes.length;
      if (this.count < this.closes.length) this.count++;
    }
    this.currentDay = day;
    this.currentVolume = 0;
    this.currentClose = NaN;
  }

  /** Add a bar of the current day (after matching). */
  add(close: number, volume: number): void {
    this.currentClose = close;
    this.currentVolume += volume;
  }

  /** Completed days available. */
  get days(): number {
    return this.count;
  }

  private at(back: number): number {
    // back = 1 is the most recent completed day.
    const size = this.closes.length;
    return (this.head - back + size * 2) % size;
  }

  /** Sample standard deviation of daily log returns over up to N completed days; NaN with fewer than 2 returns. */
  volatility(): number {
    const returns = Math.min(this.count - 1, this.volatilityDays);
    if (returns < 2) return NaN;
    let sum = 0;
    let sumSquares = 0;
    for (let k = 1; k <= returns; k++) {
      const r = Math.log(this.closes[this.at(k)]! / this.closes[this.at(k + 1)]!);
      sum += r;
      sumSquares += r * r;
    }
    const mean = sum / returns;
    return Math.sqrt(Math.max(0, (sumSquares - returns * mean * mean) / (returns - 1)));
  }

  /** Average daily volume over up to N completed days; NaN with fewer than 2 days. */
  averageVolume(): number {
    const days = Math.min(this.count, this.volumeDays);
    if (days < 2) return NaN;
    let sum = 0;
    for (let k = 1; k <= days; k++) sum += this.volumes[this.at(k)]!;
    return sum / days;
  }
}
