// The risk engine's per-bar quiet path (equity from the one held symbol's close, no call into the
// kernel) must decide exactly as a full look at the account on every bar: same breaker events with the
// same numbers, same denials, same fills, same equity. Random price paths with crashes and rallies,
// one or two symbols, a strategy that trades at random, tight breaker thresholds so they trip often.
import fc from 'fast-check';
import type { Bar } from '../../src/core/bar.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OrderSide, OrderType } from '../../src/core/order.ts';
import { RiskEngine } from '../../src/engines/risk/risk-engine.ts';
import { QuietBand } from '../../src/engines/risk/quiet-band.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { DEFAULT_FILL_MODEL } from '../../src/adapters/sim/fill-model-config.ts';
import { simulate } from '../../src/app/backtest/simulate.ts';
import { ASHARE_FEES, CRYPTO_FEES, cryptoInstrument, makeSeries, MS_PER_HOUR } from '../sim/helpers.ts';
import { riskConfig } from './helpers.ts';

/** Buys a random fraction or sells everything, decided by a seeded generator. */
class RandomTrader extends Strategy {
  readonly name = 'random-trader';
  private state: number;

  constructor(seed: number) {
    super();
    this.state = seed >>> 0 || 1;
  }

  private next(): number {
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    return (this.state >>> 0) / 2 ** 32;
  }

  override onBar(bar: Bar): void {
    const roll = this.next();
    if (roll > 0.08) return;
    const held = this.ctx.position(bar.symbol).quantity;
    if (roll < 0.05 && this.ctx.openOrders(bar.symbol).length === 0) {
      const quantity = this.ctx.quantityForFraction(bar.symbol, 0.2 + this.next() * 0.3, bar.close);
      if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity });
    } else if (held > 0) {
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: held });
    }
  }
}

/** Hourly closes from per-bar returns (a few large ones make the crashes), starting at 100. */
function closes(returns: readonly number[]): number[] {
  const out: number[] = [];
  let price = 100;
  for (const r of returns) {
    price = Math.max(1, Math.round(price * (1 + r) * 100) / 100);
    out.push(price);
  }
  return out;
}

const barReturn = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -0.01, max: 0.01, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: -0.08, max: 0.06, noNaN: true }) });

function run(engine: RiskEngine, paths: readonly number[][], seed: number, intervalMs = MS_PER_HOUR) {
  const symbols = paths.map((_, k) => `S${k}/USDT`);
  const series = paths.map((path, k) => {
    const close = closes(path);
    const open = close.map((_, i) => (i === 0 ? 100 : close[i - 1]!));
    return makeSeries({ open, close }, { symbol: symbols[k], intervalMs });
  });
  const instruments = symbols.map((symbol) => cryptoInstrument({ symbol, base: symbol.split('/')[0] }));
  const { kernel, equity } = simulate({ series, instruments, strategy: new RandomTrader(seed), capital: 10_000, fill: DEFAULT_FILL_MODEL, fees: { crypto: CRYPTO_FEES, ashare: ASHARE_FEES }, risk: engine });
  return {
    events: engine.events.map((e) => ({ time: e.time, level: e.level, cause: e.cause, value: e.value, threshold: e.threshold })),
    denied: [...kernel.deniedCounts].sort(),
    fills: kernel.fills.map((f) => `${f.time} ${f.symbol} ${f.side} ${f.quantity}@${f.price}`),
    equity: Array.from(equity),
  };
}

/** Counts the bars the band settled without a look, across every engine of a test. */
function countSettledBars(): { count: number } {
  const counter = { count: 0 };
  const settles = QuietBand.prototype.settles;
  vi.spyOn(QuietBand.prototype, 'settles').mockImplementation(function (this: QuietBand, ...args: Parameters<QuietBand['settles']>) {
    const done = settles.apply(this, args);
    if (done) counter.count++;
    return done;
  });
  return counter;
}

describe('the quiet per-bar path of the risk engine', () => {
  afterEach(() => vi.restoreAllMocks());

  it('decides exactly as a full look at the account on every bar', () => {
    const settled = countSettledBars();
    const causes = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(fc.array(barReturn, { minLength: 300, maxLength: 300 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.01, max: 0.05, noNaN: true }),
        // Hourly bars (12 days: loss triggers) or 4-hourly (50 days: VaR and correlation over 20+ daily returns too).
        fc.constantFrom(MS_PER_HOUR, 4 * MS_PER_HOUR),
        (paths, seed, dailyLoss, intervalMs) => {
          const section = {
            breakers: {
              paper: {
                dailyLoss: { threshold: dailyLoss },
                drawdown: { threshold: dailyLoss * 2 },
                weeklyLoss: { threshold: dailyLoss * 1.5 },
                varLimit: { threshold: dailyLoss / 2 },
                correlation: { threshold: 0.3 },
              },
            },
          };
          const quiet = run(new RiskEngine({ config: riskConfig(section) }), paths, seed, intervalMs);
          const settledBefore = settled.count;
          const full = run(new RiskEngine({ config: riskConfig(section), quietPath: false }), paths, seed, intervalMs);
          // The reference really took the full look on every bar: were the option ignored, this property
          // would compare the fast path with itself and pass whatever the fast path did.
          expect(settled.count, 'bars settled on the band with quietPath: false').toBe(settledBefore);
          expect(quiet).toEqual(full);
          for (const e of quiet.events) causes.add(e.cause);
        },
      ),
      { numRuns: 60, seed: 20261122 },
    );
    // The fast path was taken: the comparison is not between two full looks.
    expect(settled.count).toBeGreaterThan(1000);
    // The runs compared engines that tripped, on losses and on the portfolio checks alike.
    expect([...causes].sort()).toEqual(expect.arrayContaining(['DAILY_LOSS', 'DRAWDOWN', 'VAR_LIMIT']));
  });

  it('sees breakers trip in these runs (the comparison is not between two idle engines)', () => {
    const crash = Array.from({ length: 300 }, (_, i) => (i >= 100 && i < 110 ? -0.02 : 0.001));
    const engine = new RiskEngine({ config: riskConfig({ breakers: { paper: { dailyLoss: { threshold: 0.02 } } } }) });
    // A trader that always holds something: the seed makes it buy early.
    const result = run(engine, [crash], 7);
    expect(result.fills.length).toBeGreaterThan(0);
    expect(result.events.some((e) => e.cause === 'DAILY_LOSS')).toBe(true);
  });
});
