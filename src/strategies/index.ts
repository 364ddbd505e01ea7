// Built-in strategies by name, and loading a user's strategy class from a file.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { Strategy } from '../kernel/strategy.ts';
import { BollingerReversion } from './bollinger-reversion.ts';
import { BuyAndHold } from './buy-and-hold.ts';
import { SmaCross } from './sma-cross.ts';

export { BollingerReversion, BuyAndHold, SmaCross };
export { StrategyParameterError } from './params.ts';

type StrategyClass = new (params?: unknown) => Strategy;

export const BUILT_IN_STRATEGIES: Readonly<Record<string, StrategyClass>> = {
  'sma-cross': SmaCross,
  'bollinger-reversion': BollingerReversion,
  'buy-and-hold': BuyAndHold,
};

export class StrategyLoadError extends Error {}

function isStrategyClass(value: unknown): value is StrategyClass {
  return typeof value === 'function' && value.prototype instanceof Strategy;
}

function looksLikePath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || /\.(ts|js|mjs|mts)$/.test(spec);
}

/**
 * A built-in name, or a path to a .ts/.js file exporting a class that extends Strategy (default
 * export or the only exported one). Returns a factory so every run gets a fresh instance.
 */
export async function resolveStrategy(spec: string): Promise<{ name: string; create: (params?: unknown) => Strategy }> {
  const builtIn = BUILT_IN_STRATEGIES[spec];
  if (builtIn) return { name: spec, create: (params) => new builtIn(params) };
  if (!looksLikePath(spec)) {
    throw new StrategyLoadError(`unknown strategy "${spec}": use one of ${Object.keys(BUILT_IN_STRATEGIES).join(', ')} or a path to a .ts file`);
  }
  const file = resolve(spec);
  if (!existsSync(file)) throw new StrategyLoadError(`strategy file not found: ${spec}`);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const candidates = Object.entries(module).filter(([, value]) => isStrategyClass(value));
  const chosen = isStrategyClass(module.default) ? module.default : candidates.length === 1 ? candidates[0]![1] : undefined;
  if (!isStrategyClass(chosen)) {
    throw new StrategyLoadError(`${spec} must export a class extending Strategy (import { Strategy } from 'traider'), as default or as its only export`);
  }
  const cls = chosen;
  return { name: spec, create: (params) => new cls(params) };
}
