// Making a strategy from its class and the user's parameters: the one path for built-ins and strategy files.
// With a `static params` schema the parameters are validated (every problem listed) and the constructor gets the
// parsed object, defaults applied. Without one they cannot be checked: a warning says so, and names the keys the
// strategy does not seem to know.
import { Strategy, type OrderEvent } from '../index.ts';
import { isParameterSchema, parseParameters } from './params.ts';

export type StrategyClass = new (params?: unknown) => Strategy;

export interface InstantiateOptions {
  /** How the strategy is named in messages: its built-in name or the path given. */
  readonly label: string;
  /** Where warnings go, one line each (no trailing newline). */
  readonly warn: (line: string) => void;
  /** A user's file: reading `event.type` in onOrderEvent warns (a built-in is type-checked with the package). */
  readonly userFile: boolean;
}

/** Fields of every strategy that are not parameters. */
const NOT_PARAMETERS = new Set(['name', 'ctx']);

export function instantiate(cls: StrategyClass, raw: unknown, options: InstantiateOptions): Strategy {
  const schema = (cls as unknown as { params?: unknown }).params;
  let strategy: Strategy;
  if (isParameterSchema(schema)) {
    const parsed = parseParameters(options.label, schema, raw);
    strategy = new cls(parsed);
    recordParameters(strategy, parsed);
  } else {
    strategy = new cls(raw);
    warnUnchecked(strategy, cls, raw, options);
  }
  if (options.userFile) warnOnEventType(strategy, options.warn);
  return strategy;
}

/** run.json records the parameters a strategy ran with: the parsed ones, unless the class reports its own. */
function recordParameters(strategy: Strategy, parsed: unknown): void {
  if (strategy.parameters !== Strategy.prototype.parameters) return;
  if (typeof parsed !== 'object' || parsed === null) return;
  const recorded = { ...(parsed as Record<string, unknown>) };
  Object.defineProperty(strategy, 'parameters', { value: () => ({ ...recorded }), enumerable: false });
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The keys a strategy without a schema expects, by a rule a user can predict: the keys of its `defaults` object
 * (a static `defaults` on the class, else an instance field `defaults`) when it has one, else the names of its
 * instance fields after construction (without `name`). Undefined when it has neither.
 */
export function expectedKeys(strategy: Strategy, cls: StrategyClass): { readonly keys: readonly string[]; readonly from: string } | undefined {
  const staticDefaults = (cls as unknown as { defaults?: unknown }).defaults;
  if (plainObject(staticDefaults)) return { keys: Object.keys(staticDefaults), from: 'its static defaults' };
  const instanceDefaults = (strategy as unknown as { defaults?: unknown }).defaults;
  if (plainObject(instanceDefaults)) return { keys: Object.keys(instanceDefaults), from: 'its defaults' };
  const fields = Object.keys(strategy).filter((key) => !NOT_PARAMETERS.has(key));
  return fields.length > 0 ? { keys: fields, from: 'its fields' } : undefined;
}

function warnUnchecked(strategy: Strategy, cls: StrategyClass, raw: unknown, options: InstantiateOptions): void {
  if (raw === undefined || raw === null) return;
  const who = strategy.name ?? cls.name;
  const advice = 'declare `static params = z.object({...})` to have them checked';
  if (!plainObject(raw)) {
    options.warn(`warning: ${who}: parameters not checked (${options.label} declares no \`static params\` schema): got ${JSON.stringify(raw)}, not an object; ${advice}`);
    return;
  }
  const keys = Object.keys(raw);
  if (keys.length === 0) return;
  options.warn(`warning: ${who}: parameters not checked (${options.label} declares no \`static params\` schema); received: ${keys.join(', ')}; ${advice}`);
  const expected = expectedKeys(strategy, cls);
  if (expected === undefined) return;
  const strangers = keys.filter((key) => !expected.keys.includes(key));
  for (const key of strangers) {
    options.warn(`warning: ${who}: parameter ${key} is not among ${expected.from} (${expected.keys.join(', ')}): it is probably ignored`);
  }
}

/**
 * OrderEvent's field is `kind`. A JavaScript strategy testing `event.type` would silently never match, so the
 * strategy gets each event as a copy whose `type` (not enumerable: spreads and JSON are unchanged) warns once.
 * Only when the class has its own onOrderEvent; the kernel's event objects stay untouched.
 */
function warnOnEventType(strategy: Strategy, warn: (line: string) => void): void {
  const handler = strategy.onOrderEvent;
  if (handler === Strategy.prototype.onOrderEvent) return;
  let warned = false;
  const type: PropertyDescriptor = {
    enumerable: false,
    get() {
      if (!warned) {
        warned = true;
        warn(`warning: ${strategy.name ?? strategy.constructor.name}: OrderEvent has no \`type\`; use \`kind\` (event.kind === 'FILLED'): event.type is always undefined`);
      }
      return undefined;
    },
  };
  const guarded = function (this: Strategy, event: OrderEvent): void {
    if ('type' in event) return handler.call(this, event);
    handler.call(this, Object.defineProperty({ ...event }, 'type', type));
  };
  Object.defineProperty(strategy, 'onOrderEvent', { value: guarded, enumerable: false, writable: true, configurable: true });
}
