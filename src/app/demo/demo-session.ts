// The demo's session as the server runs it: the environment it reads its configuration from, and what the demo
// says of it when it ends.
import type { TraiderConfig } from '../config/index.ts';
import type { SessionSummary } from '../session/index.ts';

/**
 * The environment for the demo's server. A hosted session loads its configuration from the file and TRAIDER_*
 * variables, not from the command's flags: --fee-bps reaches it as the variables that set the same values (the
 * capital goes into the deployment itself).
 */
export function demoEnv(env: Readonly<Record<string, string | undefined>>, config: TraiderConfig): Record<string, string | undefined> {
  return {
    ...env,
    TRAIDER_FEES__CRYPTO__MAKER_BPS: String(config.fees.crypto.makerBps),
    TRAIDER_FEES__CRYPTO__TAKER_BPS: String(config.fees.crypto.takerBps),
  };
}

/** The demo stops after --duration whatever the strategy holds: one line per position it still holds. */
export function demoEnding(summary: SessionSummary): string[] {
  return summary.openPositions.map(
    (p) => `the demo ended holding ${p.quantity} ${p.symbol} (average price ${p.averagePrice}, worth ${p.value.toFixed(2)} at the last price ${p.lastPrice}); its final equity counts it at that price`,
  );
}
