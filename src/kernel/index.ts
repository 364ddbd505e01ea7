// The kernel: wires clock, bus, cache, data client, strategy and engines into one runtime for backtest, replay, paper and live.
export { Kernel } from './kernel.ts';
