// Signals: streaming indicators (one update per bar, O(1)).
export { Atr, BollingerBands, Ema, Macd, Rsi, Sma } from './indicators/index.ts';
