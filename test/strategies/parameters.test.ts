// Parameters of a strategy, as the loader makes it (src/strategies/instantiate.ts, the one path for built-ins and
// strategy files): a `static params` schema checks them (every problem with its path, value and rule; keys the
// schema does not name refused, z.object included; defaults applied); without one, warnings say they are not
// checked and name the keys the strategy does not seem to know; reading `event.type` warns once.
import { describe, expect, it } from 'vitest';
import { instantiate, type StrategyClass } from '../../src/strategies/instantiate.ts';
import { StrategyParameterError } from '../../src/strategies/params.ts';
import { BUILT_IN_STRATEGIES } from '../../src/strategies/index.ts';
import { Strategy, z, type OrderEvent } from '../../src/index.ts';

function make(cls: StrategyClass, raw: unknown, label = './mine.ts', userFile = true): { strategy: Strategy; warnings: string[] } {
  const warnings: string[] = [];
  const strategy = instantiate(cls, raw, { label, warn: (line) => warnings.push(line), userFile });
  return { strategy, warnings };
}

function problems(cls: StrategyClass, raw: unknown, label = './mine.ts'): string[] {
  try {
    make(cls, raw, label);
  } catch (error) {
    expect(error).toBeInstanceOf(StrategyParameterError);
    const [, ...lines] = (error as Error).message.split('\n');
    return lines.map((line) => line.trim());
  }
  throw new Error('expected a StrategyParameterError');
}

const Strict = z
  .strictObject({ period: z.number().int().min(2).default(14), buyBelow: z.number().max(100).default(30) })
  .refine((p) => p.period < 50, { message: 'period must be under 50', path: ['period'] });

class WithSchema extends Strategy {
  static readonly params = Strict;
  readonly name = 'with-schema';
  constructor(readonly received: unknown) {
    super();
  }
}

class WithLooseObject extends Strategy {
  static readonly params = z.object({ period: z.number().default(14) });
  readonly name = 'with-object';
  constructor(readonly received: unknown) {
    super();
  }
}

class WithOwnParameters extends WithSchema {
  override parameters(): Record<string, unknown> {
    return { own: true };
  }
}

class FieldsOnly extends Strategy {
  readonly name = 'fields-only';
  private readonly threshold: number;
  private readonly fraction: number;
  constructor(params: unknown = {}) {
    super();
    const given = params as { threshold?: number; fraction?: number };
    this.threshold = given.threshold ?? 30;
    this.fraction = given.fraction ?? 0.5;
  }
  describe(): string {
    return `${this.threshold} ${this.fraction}`;
  }
}

class StaticDefaults extends Strategy {
  static readonly defaults = { lower: 30, upper: 70 };
  readonly name = 'static-defaults';
  readonly rsi = 'an indicator field, not a parameter';
}

class InstanceDefaults extends Strategy {
  readonly name = 'instance-defaults';
  readonly defaults = { window: 20 };
}

class Bare extends Strategy {
  readonly name = 'bare';
}

describe('a strategy with a static params schema', () => {
  it('gets the parsed parameters, defaults filled in', () => {
    const { strategy, warnings } = make(WithSchema, { buyBelow: 25 });
    expect((strategy as WithSchema).received).toEqual({ period: 14, buyBelow: 25 });
    expect(warnings).toEqual([]);
  });

  it('lists every problem at once: path, rule and the value given, and the known keys after an unknown one', () => {
    expect(problems(WithSchema, { period: 1.5, buyBelow: 300, lowr: 25 })).toEqual([
      'period: Invalid input: expected int, received number (got 1.5)',
      'buyBelow: Too big: expected number to be <=100 (got 300)',
      'lowr: unknown parameter (got 25); known: period, buyBelow',
    ]);
  });

  it('names the strategy as given on the command line', () => {
    expect(() => make(WithSchema, { lowr: 1 }, 'strategies/dip.ts')).toThrow(/^invalid parameters for strategies\/dip\.ts \(1 problem\):/);
  });

  it('applies refinements across fields', () => {
    expect(problems(WithSchema, { period: 60 })).toEqual(['period: period must be under 50 (got 60)']);
  });

  it('refuses parameters that are not an object', () => {
    expect(problems(WithSchema, 5)).toEqual(['(params): Invalid input: expected object, received number (got 5)']);
  });

  it('refuses keys a z.object schema does not name (zod alone would drop them silently)', () => {
    expect(problems(WithLooseObject, { period: 10, lowr: 25 })).toEqual(['lowr: unknown parameter (got 25); known: period']);
    expect((make(WithLooseObject, { period: 10 }).strategy as WithLooseObject).received).toEqual({ period: 10 });
  });

  it('accepts other keys from a z.looseObject schema, on purpose', () => {
    class Loose extends WithLooseObject {
      static override readonly params = z.looseObject({ period: z.number().default(14) });
    }
    expect((make(Loose, { extra: 1 }).strategy as Loose).received).toEqual({ period: 14, extra: 1 });
  });

  it('records the parsed parameters for run.json unless the class reports its own', () => {
    expect(make(WithSchema, { buyBelow: 25 }).strategy.parameters()).toEqual({ period: 14, buyBelow: 25 });
    expect(make(WithOwnParameters, {}).strategy.parameters()).toEqual({ own: true });
  });

  it('built-ins go through the same path: problems listed with values and known keys', () => {
    expect(() => make(BUILT_IN_STRATEGIES['sma-cross']!, { fats: 5, slow: 'x' }, 'sma-cross', false)).toThrow(
      'invalid parameters for sma-cross (2 problems):\n  slow: Invalid input: expected number, received string (got "x")\n  fats: unknown parameter (got 5); known: fast, slow, fraction',
    );
    expect(make(BUILT_IN_STRATEGIES['sma-cross']!, { fast: 5 }, 'sma-cross', false).strategy.parameters()).toEqual({ fast: 5, slow: 30, fraction: 0.95 });
  });
});

describe('a strategy without a schema', () => {
  it('warns that the parameters are not checked, naming the keys it received', () => {
    const { warnings } = make(Bare, { lowr: 25, upper: 70 });
    expect(warnings).toEqual(['warning: bare: parameters not checked (./mine.ts declares no `static params` schema); received: lowr, upper; declare `static params = z.object({...})` to have them checked']);
  });

  it('says nothing when given no parameters', () => {
    expect(make(Bare, undefined).warnings).toEqual([]);
    expect(make(Bare, {}).warnings).toEqual([]);
  });

  it('names each key that is not one of its instance fields', () => {
    const { warnings } = make(FieldsOnly, { threshold: 25, lowr: 25 });
    expect(warnings.slice(1)).toEqual(['warning: fields-only: parameter lowr is not among its fields (threshold, fraction): it is probably ignored']);
    expect(make(FieldsOnly, { threshold: 25, fraction: 0.2 }).warnings).toHaveLength(1);
  });

  it('compares with its static defaults rather than its fields when it has them', () => {
    const { warnings } = make(StaticDefaults, { lower: 20, rsi: 3 });
    expect(warnings.slice(1)).toEqual(['warning: static-defaults: parameter rsi is not among its static defaults (lower, upper): it is probably ignored']);
  });

  it('compares with an instance defaults object', () => {
    const { warnings } = make(InstanceDefaults, { windw: 10 });
    expect(warnings.slice(1)).toEqual(['warning: instance-defaults: parameter windw is not among its defaults (window): it is probably ignored']);
  });

  it('warns about parameters that are not an object', () => {
    expect(make(Bare, [1, 2]).warnings).toEqual(['warning: bare: parameters not checked (./mine.ts declares no `static params` schema): got [1,2], not an object; declare `static params = z.object({...})` to have them checked']);
  });
});

describe('event.type in a strategy file', () => {
  const event = { kind: 'FILLED', order: { id: 'O-1' }, time: 1 } as unknown as OrderEvent;

  class ReadsType extends Strategy {
    readonly name = 'reads-type';
    readonly seen: unknown[] = [];
    override onOrderEvent(e: OrderEvent): void {
      this.seen.push((e as unknown as { type?: unknown }).type, e.kind, { ...e }, JSON.stringify(e));
    }
  }

  it('warns once that OrderEvent has no type, and the event is otherwise the same', () => {
    const { strategy, warnings } = make(ReadsType, undefined);
    strategy.onOrderEvent(event);
    strategy.onOrderEvent(event);
    expect(warnings).toEqual(["warning: reads-type: OrderEvent has no `type`; use `kind` (event.kind === 'FILLED'): event.type is always undefined"]);
    const seen = (strategy as ReadsType).seen;
    expect(seen.slice(0, 4)).toEqual([undefined, 'FILLED', event, JSON.stringify(event)]);
    expect(Object.keys(event)).toEqual(['kind', 'order', 'time']);
  });

  it('leaves built-ins and strategies without onOrderEvent alone', () => {
    const builtIn = make(ReadsType, undefined, 'x', false);
    builtIn.strategy.onOrderEvent(event);
    expect(builtIn.warnings).toEqual([]);
    expect(Object.hasOwn(make(Bare, undefined).strategy, 'onOrderEvent')).toBe(false);
  });
});
