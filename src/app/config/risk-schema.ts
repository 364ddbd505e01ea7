// The `risk` section: breaker triggers by profile, pre-trade limits and mode limits, with defaults
// taken from the risk engine's own DEFAULT_RISK_CONFIG (product.md §2-3).
import { z } from 'zod';
import { BreakerLevel, type BreakerProfile, type Cooldown, DEFAULT_RISK_CONFIG, type ModeLimits, type RiskConfig, type TriggerConfig } from '../../engines/index.ts';

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(text: string): number | undefined {
  const match = DURATION_RE.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  return `${ms}ms`;
}

/** Cooldowns as written in a config file: "next-trading-day", "next-trading-day+4h", "next-week", "while-above", "24h". */
export function formatCooldown(cooldown: Cooldown): string {
  switch (cooldown.kind) {
    case 'next-trading-day':
      return cooldown.minimumMs ? `next-trading-day+${formatDuration(cooldown.minimumMs)}` : 'next-trading-day';
    case 'next-week':
      return 'next-week';
    case 'while-above':
      return 'while-above';
    case 'duration':
      return formatDuration(cooldown.ms);
  }
}

export function parseCooldown(text: string): Cooldown | undefined {
  if (text === 'next-week') return { kind: 'next-week' };
  if (text === 'while-above') return { kind: 'while-above' };
  if (text === 'next-trading-day') return { kind: 'next-trading-day' };
  if (text.startsWith('next-trading-day+')) {
    const minimumMs = durationMs(text.slice('next-trading-day+'.length));
    return minimumMs === undefined ? undefined : { kind: 'next-trading-day', minimumMs };
  }
  const ms = durationMs(text);
  return ms === undefined ? undefined : { kind: 'duration', ms };
}

const LEVELS = [BreakerLevel.Warning, BreakerLevel.ReduceRisk, BreakerLevel.HaltNewPositions, BreakerLevel.HaltAllTrading, BreakerLevel.EmergencyClose] as const;

const cooldownSchema = z.string().refine((text) => parseCooldown(text) !== undefined, {
  error: 'must be next-trading-day, next-trading-day+<duration>, next-week, while-above or a duration such as 24h, 90m',
});

/**
 * What a trigger's threshold measures: a fraction of equity (losses, drawdown, VaR) or a correlation
 * coefficient, both at most 1; a count of failures (a whole number); or milliseconds.
 */
type ThresholdKind = 'fraction' | 'count' | 'ms';

const thresholdSchema = (kind: ThresholdKind) =>
  kind === 'fraction' ? z.number().gt(0).max(1)
  : kind === 'count' ? z.number().int().min(1)
  : z.number().gt(0);

const triggerSchema = (defaults: TriggerConfig, kind: ThresholdKind) =>
  z
    .strictObject({
      enabled: z.boolean().default(defaults.enabled),
      threshold: thresholdSchema(kind).default(defaults.threshold),
      level: z.enum(LEVELS).default(defaults.level as (typeof LEVELS)[number]),
      cooldown: cooldownSchema.default(formatCooldown(defaults.cooldown)),
    })
    .prefault({});

const profileSchema = (defaults: BreakerProfile) =>
  z
    .strictObject({
      dailyLoss: triggerSchema(defaults.dailyLoss, 'fraction'),
      weeklyLoss: triggerSchema(defaults.weeklyLoss, 'fraction'),
      drawdown: triggerSchema(defaults.drawdown, 'fraction'),
      dataStale: triggerSchema(defaults.dataStale, 'ms'),
      dataFailures: triggerSchema(defaults.dataFailures, 'count'),
      apiLatency: triggerSchema(defaults.apiLatency, 'ms'),
      correlation: triggerSchema(defaults.correlation, 'fraction'),
      varLimit: triggerSchema(defaults.varLimit, 'fraction'),
    })
    .prefault({});

const fraction = () => z.number().gt(0).max(1);

const modeSchema = (defaults: ModeLimits) =>
  z
    .strictObject({
      riskPerTrade: fraction().default(defaults.riskPerTrade),
      totalExposure: fraction().default(defaults.totalExposure),
      dailyLoss: fraction().default(defaults.dailyLoss),
    })
    .prefault({});

const D = DEFAULT_RISK_CONFIG;
const P = D.preTrade;

export const riskSchema = z
  .strictObject({
    reduceRiskFactor: z.number().gt(0).max(1).default(D.reduceRiskFactor),
    monitorDays: z.number().int().min(20).default(D.monitorDays),
    preTrade: z
      .strictObject({
        maxOrderQuantity: z.record(z.string(), z.number().gt(0)).default({}),
        maxOrderNotional: z.number().gt(0).nullable().default(P.maxOrderNotional),
        maxPositionFraction: z.number().gt(0).default(P.maxPositionFraction),
        maxExposureFraction: z.number().gt(0).default(P.maxExposureFraction),
        priceBandBps: z.number().gt(0).default(P.priceBandBps),
        stopBandBps: z.number().gt(0).default(P.stopBandBps),
        maxOrdersPerSecond: z.number().int().min(1).default(P.maxOrdersPerSecond),
        maxOrdersPerDay: z.number().int().min(1).default(P.maxOrdersPerDay),
        maxBarAgeMs: z.number().min(0).default(P.maxBarAgeMs),
        maxQuoteAgeMs: z.number().min(0).default(P.maxQuoteAgeMs),
        dailyLossLimit: fraction().default(P.dailyLossLimit),
      })
      .prefault({}),
    breakers: z.strictObject({ paper: profileSchema(D.breakers.paper), live: profileSchema(D.breakers.live) }).prefault({}),
    modes: z
      .strictObject({
        PAPER: modeSchema(D.modes.PAPER),
        LIVE_MINIMAL: modeSchema(D.modes.LIVE_MINIMAL),
        LIVE_SCALED: z.array(modeSchema(D.modes.LIVE_SCALED[0]!)).min(1).default(D.modes.LIVE_SCALED.map((m) => ({ ...m }))),
      })
      .prefault({}),
  })
  .prefault({});

export type RiskSection = z.infer<typeof riskSchema>;

/** The validated section as the risk engine takes it (cooldown strings parsed). */
export function toRiskConfig(section: RiskSection): RiskConfig {
  const trigger = (t: RiskSection['breakers']['paper']['dailyLoss']): TriggerConfig => ({ ...t, cooldown: parseCooldown(t.cooldown)! });
  const profile = (p: RiskSection['breakers']['paper']): BreakerProfile => ({
    dailyLoss: trigger(p.dailyLoss),
    weeklyLoss: trigger(p.weeklyLoss),
    drawdown: trigger(p.drawdown),
    dataStale: trigger(p.dataStale),
    dataFailures: trigger(p.dataFailures),
    apiLatency: trigger(p.apiLatency),
    correlation: trigger(p.correlation),
    varLimit: trigger(p.varLimit),
  });
  return { ...section, breakers: { paper: profile(section.breakers.paper), live: profile(section.breakers.live) } };
}
