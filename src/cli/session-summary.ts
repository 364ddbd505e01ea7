// The final summary of a paper, live or demo session as people read it: what happened, and what the session
// still holds when it ends (positions with their average and last price and value, orders open at the stop).
import type { SessionSummary } from '../app/session/index.ts';

type OpenPosition = SessionSummary['openPositions'][number];
type OpenOrder = SessionSummary['openOrders'][number];

function utc(time: number | null): string {
  return time === null ? '-' : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatPosition(p: OpenPosition, currency: string): string {
  return `  ${p.symbol} ${p.quantity} @ average ${p.averagePrice}, last price ${p.lastPrice}, value ${p.value.toFixed(2)} ${currency}`;
}

export function formatOpenOrder(o: OpenOrder): string {
  const price = o.price !== null ? ` @ ${o.price}` : o.stopPrice !== null ? ` stop ${o.stopPrice}` : ' at market';
  const filled = o.filledQuantity > 0 ? `, ${o.filledQuantity} filled` : '';
  const after = o.status === 'CANCELED' ? 'canceled at the stop' : `still ${o.status}`;
  return `  ${o.id} ${o.side} ${o.type} ${o.quantity} ${o.symbol}${price}${filled}: ${after}`;
}

export function formatSessionSummary(s: SessionSummary): string {
  const currency = quoteOf(s.symbols[0]);
  const listed = new Set(s.openOrders.map((o) => o.id));
  const otherUnCanceled = s.unCanceledOrders.filter((o) => !listed.has(o.id));
  return [
    `${s.mode} session on ${s.exchange} (${s.symbols.join(', ')}), venue clock ${s.clockRate === 1 ? 'real time' : `${s.clockRate.toFixed(1)}x`}`,
    `started    ${utc(s.startedAt)} (this computer's clock); data ${utc(s.dataStart)} -> ${utc(s.dataEnd)} (venue time)`,
    `data       ${s.bars} bars, ${s.books} book updates, ${s.reconnects} reconnects, longest book gap ${s.longestBookGapMs} ms`,
    `trading    ${s.orders} orders, ${s.fills} fills, ${s.trades} round trips, denials ${JSON.stringify(s.denials)}, ${s.breakerEvents.length} breaker changes`,
    ...s.breakerEvents.map((e) => `  breaker ${new Date(e.time).toISOString()} ${e.previousLevel} -> ${e.level} (${e.cause} ${e.value} vs ${e.threshold})`),
    `quality    ${s.dataQuality.levels ? Object.entries(s.dataQuality.levels).map(([source, level]) => `${source} ${level}`).join(', ') || 'no data' : ''}; ${s.dataQuality.withheld} bars withheld, ${s.dataQuality.outliers} outliers, ${s.dataQuality.failovers} failovers`,
    `account    ${s.initialCapital.toFixed(2)} -> ${s.finalEquity.toFixed(2)} (fees ${s.feesPaid.toFixed(4)}), ${s.discrepancies} reconciliation differences`,
    s.openPositions.length === 0
      ? 'positions  none open'
      : `positions  ${s.openPositions.length} still open at the end (the equity above values ${s.openPositions.length === 1 ? 'it' : 'them'} at the last price; --flatten-on-exit closes positions at the stop):`,
    ...s.openPositions.map((p) => formatPosition(p, currency)),
    s.openOrders.length === 0 ? 'orders     none open at the stop' : `orders     ${s.openOrders.length} open at the stop:`,
    ...s.openOrders.map(formatOpenOrder),
    ...(otherUnCanceled.length === 0 ? [] : [`           ${otherUnCanceled.length} more the venue did not cancel:`]),
    ...otherUnCanceled.map((o) => `  ${o.id} ${o.side} ${o.type} ${o.quantity} ${o.symbol} (${o.status}): ${o.reason}`),
    ...s.unCanceledOrders.filter((o) => listed.has(o.id)).map((o) => `  ${o.id} not canceled: ${o.reason}`),
    '',
  ].join('\n');
}

/** "BTC/USDT" -> "USDT" (the account currency of a crypto session). */
function quoteOf(symbol: string | undefined): string {
  return symbol?.split('/')[1] ?? '';
}
