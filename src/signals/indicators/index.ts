// Streaming technical indicators: O(1) per update, no allocation per update.
// Definitions, warm-up and test vectors: docs/indicators.md.
export { Sma } from './sma.ts';
export { Ema } from './ema.ts';
export { Rsi } from './rsi.ts';
export { Macd } from './macd.ts';
export { BollingerBands } from './bollinger.ts';
export { Atr } from './atr.ts';
export { checkNonNegative, checkPeriod } from './params.ts';
