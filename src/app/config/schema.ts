// The configuration schema: every section, key, default and rule. Adding a section (e.g. `risk`)
// means adding one entry to `sections` below; env var mapping, validation and `config show` follow.
import { z } from 'zod';
import { riskSchema } from './risk-schema.ts';
import { toPlainDecimal } from '../../core/index.ts';
import { ADJUST_BACKWARD_REFUSAL } from '../../engines/index.ts';

/** Basis points: 0 ..= 1000 (10 %). */
const bps = () => z.number().min(0).max(1000);
/** A fee rate as a fraction: 0 <= rate < 0.1. */
const rate = () => z.number().min(0).lt(0.1);

const DECIMAL_RE = /^\d+(\.\d+)?$/;

/** Writes a finite number as a plain decimal (no exponent): 1e-7 -> "0.0000001". */
export const plainDecimal = toPlainDecimal;

/** A positive decimal quantity (tick size, lot size) kept as a string; numbers are accepted and normalized. */
const positiveDecimal = () =>
  z.preprocess(
    (v) => (typeof v === 'number' ? plainDecimal(v) : v),
    z
      .string({ error: 'expected a decimal string or a number' })
      .regex(DECIMAL_RE, { error: 'must be a positive decimal such as "0.01"' })
      .refine((s) => /[1-9]/.test(s), { error: 'must be > 0' }),
  );

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  const m = ISO_DATE_RE.exec(s);
  if (m === null) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Instrument symbols as the data uses them: "BTC/USDT", "600519.SH", "BTC-PERP". */
const SYMBOL_RE = /^[A-Za-z0-9][A-Za-z0-9._/:-]*$/;

const instrumentSchema = z.strictObject({
  tickSize: positiveDecimal().optional(),
  lotSize: positiveDecimal().optional(),
  minNotional: z.number().min(0).optional(),
  market: z.enum(['crypto', 'ashare']).optional(),
  board: z.enum(['main', 'chinext', 'star']).optional(),
  st: z.boolean().optional(),
  listingDate: z
    .string()
    .refine(isCalendarDate, { error: 'must be a date YYYY-MM-DD' })
    .optional(),
});

const sections = {
  fees: z
    .strictObject({
      crypto: z
        .strictObject({
          makerBps: bps().default(10),
          takerBps: bps().default(10),
        })
        .prefault({}),
      ashare: z
        .strictObject({
          commissionRate: rate().default(0.00025),
          commissionMinimum: z.number().min(0).default(5),
          stampDutyRate: rate().default(0.001),
          transferFeeRate: rate().default(0.00002),
          exchangeFeeRate: rate().default(0.0000487),
        })
        .prefault({}),
    })
    .prefault({}),

  fill: z
    .strictObject({
      model: z.enum(['realistic', 'next-open']).default('realistic'),
      spreadBps: z
        .strictObject({
          crypto: z.number().min(0).default(2),
          ashare: z.number().min(0).default(10),
        })
        .prefault({}),
      impactCoefficient: z.number().min(0).default(0.15),
      volatilityDays: z.number().int().min(2).default(20),
      volumeDays: z.number().int().min(2).default(20),
      participationCap: z.number().gt(0).max(1).default(0.05),
    })
    .prefault({}),

  backtest: z
    .strictObject({
      capital: z.number().gt(0).default(10000),
      onBadRow: z.enum(['fail', 'skip']).default('fail'),
      // What A-share strategies see; trading is always on raw prices.
      adjust: z
        .enum(['pit', 'none'], { error: (issue) => (issue.input === 'backward' ? ADJUST_BACKWARD_REFUSAL : 'must be pit (point-in-time adjusted) or none (raw)') })
        .default('pit'),
    })
    .prefault({}),

  risk: riskSchema,

  instruments: z
    .record(
      z.string().regex(SYMBOL_RE, { error: 'must be a symbol such as "BTC/USDT" or "600519.SH"' }),
      instrumentSchema,
    )
    .default({}),
};

export const configSchema = z.strictObject(sections);

/** The validated, effective configuration. */
export type TraiderConfig = z.infer<typeof configSchema>;
export type InstrumentConfig = z.infer<typeof instrumentSchema>;

/** Top-level section names (used to recognise `TRAIDER_<SECTION>__...` environment variables). */
export const SECTION_NAMES: readonly string[] = Object.keys(sections);

/** The built-in defaults, freshly built on each call. */
export function defaultConfig(): TraiderConfig {
  return configSchema.parse({});
}
