// Fee and tax schedules: crypto maker/taker, and the A-share commission, stamp duty and exchange fees.
import { minorUnitOf } from './currency.ts';
import { applyRate } from './decimal.ts';
import type { Liquidity } from './fill.ts';
import { OrderSide } from './order.ts';

export interface FillCosts {
  /** Commission and exchange/transfer fees (ledger units). */
  readonly fee: bigint;
  /** Taxes (ledger units). */
  readonly tax: bigint;
  /** Part of `fee` that is commission (counts toward the per-order minimum). */
  readonly commission: bigint;
}

export interface FeeSchedule {
  /**
   * Costs of one fill. `commissionCharged` is what earlier fills of the same order already paid in
   * commission, so per-order minimums are applied across fills.
   */
  costs(side: OrderSide, liquidity: Liquidity, notional: bigint, orderNotionalSoFar: bigint, commissionCharged: bigint): FillCosts;
  /** Human-readable description for reports. */
  describe(): string;
}

export interface CryptoFeeConfig {
  readonly makerBps: number;
  readonly takerBps: number;
}

/** Crypto spot: a maker or taker rate on the notional, rounded half up to the quote currency's unit. */
export class CryptoFeeSchedule implements FeeSchedule {
  private readonly minorUnit: bigint;
  constructor(
    private readonly config: CryptoFeeConfig,
    currency: string,
  ) {
    this.minorUnit = minorUnitOf(currency);
  }

  costs(_side: OrderSide, liquidity: Liquidity, notional: bigint): FillCosts {
    const bps = liquidity === 'MAKER' ? this.config.makerBps : this.config.takerBps;
    const fee = applyRate(notional, bps / 10_000, this.minorUnit);
    return { fee, tax: 0n, commission: fee };
  }

  describe(): string {
    return `crypto fees: maker ${this.config.makerBps} bps, taker ${this.config.takerBps} bps of notional, rounded half up to the quote currency's smallest unit`;
  }
}

export interface AShareFeeConfig {
  readonly commissionRate: number;
  readonly commissionMinimum: number;
  readonly stampDutyRate: number;
  readonly transferFeeRate: number;
  readonly exchangeFeeRate: number;
}

/**
 * China A-shares, per fill, each part rounded half up to the fen: commission (rate with a per-order
 * minimum across the order's fills), transfer fee and exchange fee on both sides, stamp duty on sells.
 */
export class AShareFeeSchedule implements FeeSchedule {
  private readonly fen = minorUnitOf('CNY');
  private readonly minimum: bigint;
  constructor(private readonly config: AShareFeeConfig) {
    this.minimum = BigInt(Math.round(config.commissionMinimum * 100)) * this.fen;
  }

  costs(side: OrderSide, _liquidity: Liquidity, notional: bigint, orderNotionalSoFar: bigint, commissionCharged: bigint): FillCosts {
    const cumulative = applyRate(orderNotionalSoFar + notional, this.config.commissionRate, this.fen);
    const due = cumulative > this.minimum ? cumulative : this.minimum;
    const commission = due > commissionCharged ? due - commissionCharged : 0n;
    const transfer = applyRate(notional, this.config.transferFeeRate, this.fen);
    const exchange = applyRate(notional, this.config.exchangeFeeRate, this.fen);
    const tax = side === OrderSide.Sell ? applyRate(notional, this.config.stampDutyRate, this.fen) : 0n;
    return { fee: commission + transfer + exchange, tax, commission };
  }

  describe(): string {
    const c = this.config;
    return `A-share costs per fill, each rounded half up to the fen: commission ${c.commissionRate * 100}% with a ${c.commissionMinimum} CNY minimum per order, transfer fee ${c.transferFeeRate * 100}%, exchange fee ${c.exchangeFeeRate * 100}%, stamp duty ${c.stampDutyRate * 100}% on sells`;
  }
}

