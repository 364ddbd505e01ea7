// The portfolio breakers: VAR_LIMIT and CORRELATION on the positions held, from the monitor's daily returns.
import type { Market } from '../../core/index.ts';
import type { RiskContext } from '../../common/index.ts';
import type { BreakerLadder } from './breaker-ladder.ts';
import { BreakerCause } from './codes.ts';
import type { BreakerProfile } from './config.ts';
import { cooldownEnd } from './cooldown.ts';
import type { PortfolioMonitor } from './portfolio-monitor.ts';

export class PortfolioTriggers {
  /** `closesCorrelated`: the live profile cuts a newly correlated pair to one position. */
  constructor(
    private readonly profile: BreakerProfile,
    private readonly closesCorrelated: boolean,
    private readonly ladder: BreakerLadder,
    private readonly monitor: PortfolioMonitor,
    private readonly market: Market,
  ) {}

  /**
   * Both triggers at `equity`: trips and releases on the ladder. Returns the symbol index to close
   * (the smaller of a pair that has just become correlated, live profile) or undefined.
   */
  check(context: RiskContext, equity: number, now: number): number | undefined {
    const held: number[] = [];
    const exposures: { index: number; weight: number }[] = [];
    for (let i = 0; i < context.instruments.length; i++) {
      const q = context.heldQuantity(i);
      if (q === 0) continue;
      held.push(i);
      exposures.push({ index: i, weight: (q * context.lastPrice(i)) / equity });
    }
    const varTrigger = this.profile.varLimit;
    if (varTrigger.enabled) {
      const valueAtRisk = this.monitor.valueAtRisk(exposures);
      if (valueAtRisk > varTrigger.threshold) this.ladder.trip(BreakerCause.VarLimit, varTrigger.level, valueAtRisk, varTrigger.threshold, now, cooldownEnd(varTrigger.cooldown, now, this.market));
      else if (!Number.isNaN(valueAtRisk)) this.ladder.release(BreakerCause.VarLimit, valueAtRisk);
    }
    const correlation = this.profile.correlation;
    if (!correlation.enabled || held.length < 2) {
      this.ladder.release(BreakerCause.Correlation);
      return undefined;
    }
    const pair = this.monitor.mostCorrelatedPair(held);
    if (!pair || !(pair.correlation > correlation.threshold)) {
      this.ladder.release(BreakerCause.Correlation);
      return undefined;
    }
    const a = context.instruments[pair.a]!.symbol;
    const b = context.instruments[pair.b]!.symbol;
    const wasActive = this.ladder.isActive(BreakerCause.Correlation);
    this.ladder.trip(BreakerCause.Correlation, correlation.level, pair.correlation, correlation.threshold, now, cooldownEnd(correlation.cooldown, now, this.market), { detail: `${a} and ${b}` });
    if (wasActive || !this.closesCorrelated) return undefined;
    const value = (i: number): number => Math.abs(context.heldQuantity(i) * context.lastPrice(i));
    return value(pair.a) <= value(pair.b) ? pair.a : pair.b;
  }
}
