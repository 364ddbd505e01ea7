// The deployment modes a strategy runs under: each has its own breaker profile and limits (engines/risk).
/** Risk modes; a backtest without a risk mode uses BACKTEST (the paper breaker profile, no mode limits). */
export const RiskMode = {
  Backtest: 'BACKTEST',
  Paper: 'PAPER',
  LiveMinimal: 'LIVE_MINIMAL',
  LiveScaled: 'LIVE_SCALED',
} as const;
export type RiskMode = (typeof RiskMode)[keyof typeof RiskMode];
