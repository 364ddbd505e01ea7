// Settings of the simulated venue's fill models (defaults in the app config).

export const FillModelName = { Realistic: 'realistic', NextOpen: 'next-open' } as const;
export type FillModelName = (typeof FillModelName)[keyof typeof FillModelName];

export interface FillModelConfig {
  readonly model: FillModelName;
  /** Full quoted spread in basis points, by market; half is paid on each taker fill. */
  readonly spreadBps: { readonly crypto: number; readonly ashare: number };
  readonly impactCoefficient: number;
  readonly volatilityDays: number;
  readonly volumeDays: number;
  /** Largest share of one bar's volume our fills may take. */
  readonly participationCap: number;
}

export const DEFAULT_FILL_MODEL: FillModelConfig = {
  model: FillModelName.Realistic,
  spreadBps: { crypto: 2, ashare: 10 },
  impactCoefficient: 0.15,
  volatilityDays: 20,
  volumeDays: 20,
  participationCap: 0.05,
};
