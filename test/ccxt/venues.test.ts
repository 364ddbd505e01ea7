// The per-venue table of the CCXT adapter: order types, stop triggers, client id params and rules.
import { describe, expect, it } from 'vitest';
import { clientOrderIdFor, isStopOrderType, venueProfile, VENUES } from '../../src/adapters/ccxt/venues.ts';
import { OrderType } from '../../src/core/order.ts';
import { VenueError, VenueErrorAction } from '../../src/common/venue-errors.ts';

describe('the venue table', () => {
  it('binance (and the local exchange, reached as binance) maps every kernel order type', () => {
    const binance = venueProfile('binance');
    expect(binance).toBe(VENUES.binance);
    expect(binance.orderTypes).toEqual({
      [OrderType.Market]: { type: 'market', limit: false },
      [OrderType.Limit]: { type: 'limit', limit: true },
      [OrderType.Stop]: { type: 'STOP_LOSS', limit: false },
      [OrderType.StopLimit]: { type: 'STOP_LOSS_LIMIT', limit: true },
    });
    expect(binance.stopTrigger?.param).toBe('triggerPrice');
    expect(binance.clientIdParam).toBe('clientOrderId');
    expect(binance.clientIdLookupParam, 'Binance names an order by client id with origClientOrderId').toBe('origClientOrderId');
    expect(binance.orderTradesParam).toBe('orderId');
    expect(binance.tradePage, "Binance's largest myTrades page").toBe(1000);
  });

  it('an exchange without a row gets unified market and limit types and no stops', () => {
    const kraken = venueProfile('kraken');
    expect(kraken.orderTypes[OrderType.Market]).toEqual({ type: 'market', limit: false });
    expect(kraken.orderTypes[OrderType.Limit]).toEqual({ type: 'limit', limit: true });
    expect(kraken.orderTypes[OrderType.Stop]).toBeUndefined();
    expect(kraken.orderTypes[OrderType.StopLimit]).toBeUndefined();
    expect(kraken.stopTrigger).toBeUndefined();
    expect(venueProfile('toString'), 'inherited object keys are not rows').toEqual(kraken);
  });

  it('a row has a stop trigger exactly when it maps the stop types', () => {
    for (const [id, row] of Object.entries(VENUES)) {
      const stops = [OrderType.Stop, OrderType.StopLimit].filter((t) => row.orderTypes[t] !== undefined);
      expect(stops.length === 0 || stops.length === 2, `${id}: both stop types or neither`).toBe(true);
      expect(row.stopTrigger !== undefined, `${id}: a trigger param and check with the stop types`).toBe(stops.length === 2);
    }
  });

  it("binance's trigger check reads the working flag and time of order JSON and executionReport", () => {
    const { triggered } = venueProfile('binance').stopTrigger!;
    expect(triggered({ info: { isWorking: false, workingTime: -1 } }), 'a new stop: not working').toBeUndefined();
    expect(triggered({ info: { w: false } }), 'the stream before the trigger').toBeUndefined();
    expect(triggered({ info: { isWorking: true, workingTime: 1613995100000 } })).toEqual({ time: 1613995100000 });
    expect(triggered({ info: { w: true, W: '1613995100000' } }), 'a string time is read too').toEqual({ time: 1613995100000 });
    expect(triggered({ info: { w: true } }), 'working without a time: triggered, time unknown').toEqual({});
    expect(triggered({}), 'no JSON: nothing known').toBeUndefined();
  });

  it("binance's duplicate check knows ccxt's DuplicateOrderId and Binance's -2010 message", () => {
    const { isDuplicateClientId } = venueProfile('binance');
    expect(isDuplicateClientId(new VenueError(VenueErrorAction.InvalidOrder, 'whatever', 'DuplicateOrderId'))).toBe(true);
    expect(isDuplicateClientId(new VenueError(VenueErrorAction.InvalidOrder, 'binance {"code":-2010,"msg":"Duplicate order sent."}', 'InvalidOrder'))).toBe(true);
    expect(isDuplicateClientId(new VenueError(VenueErrorAction.InvalidOrder, 'binance {"code":-1013,"msg":"Filter failure: PRICE_FILTER"}', 'InvalidOrder'))).toBe(false);
    expect(isDuplicateClientId(new VenueError(VenueErrorAction.Retry, 'duplicate packet on the wire', 'NetworkError')), 'only a refusal says so').toBe(false);
  });

  it('client order ids follow the row\'s rules', () => {
    const rules = { refused: /[^A-Za-z0-9-]/g, maxLength: 12 };
    expect(clientOrderIdFor('Run 1!', 'O-7', rules), 'refused characters are dropped').toBe('Run1-O-7');
    const long = clientOrderIdFor('averylongprefix', 'O-123', rules);
    expect(long.length).toBeLessThanOrEqual(12);
    expect(long.endsWith('-O-123'), `the order id is kept whole, the prefix hashed short (${long})`).toBe(true);
    expect(long).not.toContain('averylong');
    expect(clientOrderIdFor('run', 'O-1'), 'Binance rules by default').toBe(clientOrderIdFor('run', 'O-1', venueProfile('binance').clientId));
  });

  it('knows the stop types', () => {
    expect([OrderType.Market, OrderType.Limit, OrderType.Stop, OrderType.StopLimit].map(isStopOrderType)).toEqual([false, false, true, true]);
  });
});
