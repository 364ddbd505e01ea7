// Consensus between the sources of one symbol: the median of the trusted others, or with a single other the
// two-source rule that decides which of the two is the outlier.
import type { DataQualityConfig } from './config.ts';
import type { ProviderHealth } from './provider-health.ts';
import { finitePositive, pct, type SourceState } from './source-state.ts';
import { IssueCode, type QualityIssue } from './types.ts';

export interface ConsensusResult {
  /** At least one other source was compared and agreed with this update. */
  readonly corroborated: boolean;
  readonly issue?: QualityIssue;
  /** Two-source rule: the other source is the outlier. */
  readonly blamed?: SourceState;
  /** Two-source rule: the other source agreed, which confirms its latest price too. */
  readonly confirmed?: SourceState;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Consensus against the other sources of the symbol (`sources`, `self` among them) whose latest price
 * is within the window. Two or more trusted others: the median of their prices. Otherwise one counterpart (the trusted
 * one, else the most recent other) and the two-source rule: the source that moved further from its
 * own history (its latest agreed price, else its last good price) is the outlier; a tie goes to
 * provider health (lower success rate, then more consecutive failures); a full tie blames the update
 * being checked (it is uncorroborated).
 */
export function checkConsensus(
  sources: Iterable<SourceState>,
  self: SourceState,
  price: number,
  dataTime: number,
  config: DataQualityConfig,
  healthOf: (source: string) => ProviderHealth,
): ConsensusResult {
  const { consensusThreshold: threshold, consensusWindowMs: window } = config;
  const others: SourceState[] = [];
  for (const other of sources) {
    if (other !== self && finitePositive(other.price) && Math.abs(other.dataTime - dataTime) <= window) others.push(other);
  }
  if (others.length === 0) return { corroborated: false };
  const voters = others.filter((o) => o.trusted);
  if (voters.length >= 2) {
    const reference = median(voters.map((o) => o.price));
    const deviation = Math.abs(price / reference - 1);
    if (deviation <= threshold) return { corroborated: true };
    const names = voters.map((o) => o.source).join(', ');
    return {
      corroborated: false,
      issue: { code: IssueCode.Consensus, detail: `${pct(deviation)} from the median ${reference} of ${voters.length} other sources (${names})`, value: deviation, limit: threshold },
    };
  }
  const other = voters[0] ?? others.reduce((a, b) => (b.dataTime > a.dataTime ? b : a));
  const deviation = Math.abs(price / other.price - 1);
  if (deviation <= threshold) return { corroborated: true, confirmed: other };

  const history = (s: SourceState): number => (s.agreed > 0 ? s.agreed : s.lastGood);
  const selfMove = history(self) > 0 ? Math.abs(price / history(self) - 1) : NaN;
  const otherMove = history(other) > 0 ? Math.abs(other.price / history(other) - 1) : NaN;
  let blameSelf: boolean;
  let why: string;
  if (selfMove === selfMove && otherMove === otherMove && selfMove !== otherMove) {
    blameSelf = selfMove > otherMove;
    why = `${self.source} moved ${pct(selfMove)} from its own history, ${other.source} ${pct(otherMove)}`;
  } else {
    const mine = healthOf(self.source);
    const theirs = healthOf(other.source);
    const rate = (h: ProviderHealth): number => (h.samples === 0 ? 1 : h.successRate);
    if (rate(mine) !== rate(theirs)) {
      blameSelf = rate(mine) < rate(theirs);
      why = `history ties; success rate ${pct(rate(mine))} vs ${pct(rate(theirs))}`;
    } else if (mine.consecutiveFailures !== theirs.consecutiveFailures) {
      blameSelf = mine.consecutiveFailures > theirs.consecutiveFailures;
      why = `history ties; ${mine.consecutiveFailures} vs ${theirs.consecutiveFailures} consecutive failures`;
    } else {
      blameSelf = true;
      why = 'history and health tie: the uncorroborated update is not trusted';
    }
  }
  if (!blameSelf) return { corroborated: false, blamed: other };
  return {
    corroborated: false,
    issue: { code: IssueCode.Consensus, detail: `${pct(deviation)} from ${other.source} ${other.price} (the only other source); ${why}`, value: deviation, limit: threshold },
  };
}
