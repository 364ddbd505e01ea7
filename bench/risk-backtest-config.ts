// The non-binding risk configuration of the risk bench: every check runs, none can fire.
import type { BreakerProfile, RiskConfig, TriggerConfig } from '../src/engines/index.ts';

/** Every check and trigger runs, none can fire: thresholds at 100% of equity, no rate limits. */
export function nonBinding(config: RiskConfig): RiskConfig {
  const loose = (t: TriggerConfig): TriggerConfig => ({ ...t, threshold: t.threshold < 1 ? 1 : t.threshold * 1e6 });
  const profile = Object.fromEntries(Object.entries(config.breakers.paper).map(([k, t]) => [k, loose(t)])) as unknown as BreakerProfile;
  return { ...config, breakers: { paper: profile, live: profile }, preTrade: { ...config.preTrade, dailyLossLimit: 1, maxOrdersPerSecond: 1e9, maxOrdersPerDay: 1e9 } };
}

