// Stop orders on the local exchange: Binance's STOP_LOSS / STOP_LOSS_LIMIT (and TAKE_PROFIT kinds)
// placed over REST, their validation errors, resting off the book (NEW, not working, funds locked),
// triggered by the last price (the replay's prints and user trades), then executed as a market or limit
// order; cancel; and the executionReports of the WebSocket API user data stream.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { raw, rawWs, restClient, startSim } from './helpers.ts';

/** 2021-02-22 12:00 UTC: the price falls about 3% within the next half hour. */
const DIP_START = Date.UTC(2021, 1, 22, 12);
const MINUTE = 60_000;
const KEY = 'test-key';
const SECRET = 'test-secret';
const ACCOUNTS = [{ apiKey: KEY, secret: SECRET, balances: { USDT: 1_000_000, BTC: 10 } }];

const sign = (payload: string): string => createHmac('sha256', SECRET).update(payload).digest('hex');

type Json = Record<string, unknown>;

/** A signed REST request with the parameters in the query (GET, DELETE) or the form body (POST). */
async function signed(sim: ExchangeSimHandle, method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string | number>) {
  const text = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), timestamp: String(Date.now()) }).toString();
  const headers: Record<string, string> = { 'X-MBX-APIKEY': KEY };
  if (method === 'POST') {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return raw(sim, method, `/api/v3/${path}`, { body: `${text}&signature=${sign(text)}`, headers });
  }
  return raw(sim, method, `/api/v3/${path}?${text}&signature=${sign(text)}`, { headers });
}

const placeOrder = (sim: ExchangeSimHandle, params: Record<string, string | number>) => signed(sim, 'POST', 'order', { symbol: 'BTCUSDT', ...params });
const getOrder = async (sim: ExchangeSimHandle, orderId: number): Promise<Json> => (await signed(sim, 'GET', 'order', { symbol: 'BTCUSDT', orderId })).json as Json;

describe('exchange-sim stop orders', () => {
  let sim: ExchangeSimHandle;

  beforeEach(async () => {
    // Frozen data time: each test moves the clock itself.
    sim = await startSim({ speed: 0, startTime: DIP_START, accounts: ACCOUNTS });
  });
  afterEach(async () => {
    await sim.close();
  });

  const market = () => sim.admin.core.markets.get('BTCUSDT')!;
  const symbolState = () => sim.admin.state().symbols[0]!;
  const btc = () => sim.admin.state().accounts[0]!.balances.BTC!;
  const lastPrice = () => Number(symbolState().lastPrice);

  /**
   * The first minute boundary after `from` by which the replayed price has fallen to (or risen to) `price`:
   * moving the clock there triggers a stop at that price (at the moment the path got there), moving it one
   * minute less does not.
   */
  function reachedAt(price: number, falling: boolean, from = DIP_START): number {
    for (let t = from; t < from + 24 * 60 * MINUTE; t += MINUTE) {
      const { low, high } = market().replay.rangeBetween(t, t + MINUTE);
      if (falling ? low <= price : high >= price) return t + MINUTE;
    }
    throw new Error(`the replay never reaches ${price} within a day of ${new Date(from).toISOString()}`);
  }

  /** A trigger time is the first moment the replayed price was at (or beyond) the stop: within the step that reached it. */
  function expectFirstReach(time: unknown, stopPrice: number, stepEnd: number): void {
    expect(typeof time, 'a trigger time').toBe('number');
    const t = time as number;
    expect(t, `the trigger lies in the minute whose path reached ${stopPrice}`).toBeGreaterThan(stepEnd - MINUTE);
    expect(t).toBeLessThanOrEqual(stepEnd);
    expect(market().replay.priceAt(t), `at the trigger the replayed price is at the stop ${stopPrice}`).toBeLessThanOrEqual(stopPrice + 0.001);
    expect(market().replay.priceAt(t - 1), 'a millisecond earlier it was still above: the first moment it got there').toBeGreaterThan(stopPrice);
  }

  it('refuses malformed stops with Binance\'s codes: -1102 missing, -1106 not required, -1013 filters, -2010 engine rejections', async () => {
    const last = lastPrice();
    const below = Math.floor(last - 200);
    const cases: Array<[string, Record<string, string | number>, { code: number; msg: string }]> = [
      ['STOP_LOSS without stopPrice', { side: 'SELL', type: 'STOP_LOSS', quantity: '0.01' }, { code: -1102, msg: "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!" }],
      ['STOP_LOSS_LIMIT without timeInForce', { side: 'SELL', type: 'STOP_LOSS_LIMIT', quantity: '0.01', price: below, stopPrice: below }, { code: -1102, msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed." }],
      ['STOP_LOSS_LIMIT without price', { side: 'SELL', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', quantity: '0.01', stopPrice: below }, { code: -1102, msg: "Mandatory parameter 'price' was not sent, was empty/null, or malformed." }],
      ['STOP_LOSS without quantity', { side: 'SELL', type: 'STOP_LOSS', stopPrice: below }, { code: -1102, msg: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed." }],
      ['STOP_LOSS with a price', { side: 'SELL', type: 'STOP_LOSS', quantity: '0.01', stopPrice: below, price: below }, { code: -1106, msg: "Parameter 'price' sent when not required." }],
      ['STOP_LOSS with a timeInForce', { side: 'SELL', type: 'STOP_LOSS', quantity: '0.01', stopPrice: below, timeInForce: 'GTC' }, { code: -1106, msg: "Parameter 'timeInForce' sent when not required." }],
      ['LIMIT with a stopPrice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: below, stopPrice: below }, { code: -1106, msg: "Parameter 'stopPrice' sent when not required." }],
      ['STOP_LOSS with quoteOrderQty', { side: 'BUY', type: 'STOP_LOSS', quantity: '0.01', stopPrice: Math.ceil(last + 200), quoteOrderQty: '100' }, { code: -1106, msg: "Parameter 'quoteOrderQty' sent when not required." }],
      ['stopPrice off the tick', { side: 'SELL', type: 'STOP_LOSS', quantity: '0.01', stopPrice: `${below}.001` }, { code: -1013, msg: 'Filter failure: PRICE_FILTER' }],
      ['quantity off the lot step', { side: 'SELL', type: 'STOP_LOSS', quantity: '0.000001', stopPrice: below }, { code: -1013, msg: 'Filter failure: LOT_SIZE' }],
      ['notional at the stop price under 5', { side: 'SELL', type: 'STOP_LOSS', quantity: '0.00001', stopPrice: below }, { code: -1013, msg: 'Filter failure: NOTIONAL' }],
      ['sell STOP_LOSS at or above the last price', { side: 'SELL', type: 'STOP_LOSS', quantity: '0.01', stopPrice: Math.ceil(last) }, { code: -2010, msg: 'Order would trigger immediately.' }],
      ['buy STOP_LOSS_LIMIT at or below the last price', { side: 'BUY', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', quantity: '0.01', price: Math.floor(last), stopPrice: Math.floor(last) }, { code: -2010, msg: 'Order would trigger immediately.' }],
      ['sell TAKE_PROFIT at or below the last price', { side: 'SELL', type: 'TAKE_PROFIT', quantity: '0.01', stopPrice: below }, { code: -2010, msg: 'Order would trigger immediately.' }],
      ['a trailing stop', { side: 'SELL', type: 'STOP_LOSS', quantity: '0.01', trailingDelta: 100 }, { code: -2010, msg: 'Trailing stop orders are not supported for this symbol.' }],
      ['a sell stop for more BTC than held', { side: 'SELL', type: 'STOP_LOSS', quantity: '11', stopPrice: below }, { code: -2010, msg: 'Account has insufficient balance for requested action.' }],
    ];
    for (const [what, params, expected] of cases) {
      const res = await placeOrder(sim, params);
      expect({ status: res.status, body: res.json }, `${what}: Binance answers HTTP 400 ${expected.code} "${expected.msg}"`).toEqual({ status: 400, body: expected });
    }
    expect(sim.admin.state().accounts[0]!.orders, 'no refused stop is stored').toEqual([]);
    expect(btc().locked, 'no refused stop locks funds').toBe('0.00000000');

    for (let i = 0; i < 5; i++) {
      const ok = await placeOrder(sim, { side: 'SELL', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', quantity: '0.01', price: below - i, stopPrice: below - i });
      expect(ok.status, `stop ${i + 1} of 5 is within MAX_NUM_ALGO_ORDERS (${ok.text})`).toBe(200);
    }
    const sixth = await placeOrder(sim, { side: 'SELL', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', quantity: '0.01', price: below - 9, stopPrice: below - 9 });
    expect(sixth.json, 'a sixth open stop on the symbol breaks MAX_NUM_ALGO_ORDERS (5, as listed in exchangeInfo)').toEqual({ code: -1013, msg: 'Filter failure: MAX_NUM_ALGO_ORDERS' });
  });

  it('a stop rests as NEW, not working and off the book, with its funds locked; ACK is the default answer', async () => {
    const stopPrice = Math.floor(lastPrice() - 150);
    const ack = await placeOrder(sim, { side: 'SELL', type: 'STOP_LOSS', quantity: '0.5', stopPrice, newClientOrderId: 'stop-ack' });
    expect(Object.keys(ack.json as Json).sort(), 'stop orders default to newOrderRespType ACK (only MARKET and LIMIT default to FULL)').toEqual(['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime']);
    const full = await placeOrder(sim, { side: 'SELL', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', quantity: '0.25', price: stopPrice - 10, stopPrice, newOrderRespType: 'FULL' });
    expect(full.json, 'a FULL answer carries stopPrice and workingTime -1 (not working yet), and no fills').toMatchObject({
      status: 'NEW',
      type: 'STOP_LOSS_LIMIT',
      price: `${stopPrice - 10}.00000000`,
      stopPrice: `${stopPrice}.00000000`,
      workingTime: -1,
      fills: [],
    });

    const stop = await getOrder(sim, (ack.json as { orderId: number }).orderId);
    expect(stop, 'GET order: NEW, isWorking false, workingTime -1, the stop price').toMatchObject({ status: 'NEW', type: 'STOP_LOSS', side: 'SELL', price: '0.00000000', stopPrice: `${stopPrice}.00000000`, isWorking: false, workingTime: -1, timeInForce: 'GTC' });
    const open = (await signed(sim, 'GET', 'openOrders', { symbol: 'BTCUSDT' })).json as Json[];
    expect(open.map((o) => o.clientOrderId), 'open orders list resting stops').toContain('stop-ack');
    expect(btc(), 'sell stops lock their quantity of the base asset').toEqual({ free: '9.25000000', locked: '0.75000000' });
    const state = symbolState();
    expect(state.restingOrders, 'a stop is not on the book before it triggers').toBe(0);
    expect(state.stops.map((s) => [s.clientOrderId, s.type, s.stopPrice]), '/admin/state lists the untriggered stops').toEqual([
      ['stop-ack', 'STOP_LOSS', `${stopPrice}.00000000`],
      [(full.json as Json).clientOrderId, 'STOP_LOSS_LIMIT', `${stopPrice}.00000000`],
    ]);

    // ccxt places the same kind through its unified triggerPrice.
    const ccxt = restClient(sim);
    try {
      await ccxt.loadMarkets();
      const placed = await ccxt.createOrder('BTC/USDT', 'STOP_LOSS_LIMIT', 'buy', 0.001, stopPrice + 400, { triggerPrice: stopPrice + 400 });
      expect(placed.status, `ccxt's STOP_LOSS_LIMIT buy above the market rests open (${JSON.stringify(placed.info)})`).toBe('open');
      expect(placed.triggerPrice, 'ccxt reads the stop price back').toBe(stopPrice + 400);
      expect(sim.admin.state().accounts[0]!.balances.USDT!.locked, 'a buy stop-limit locks price x quantity of the quote').toBe(`${((stopPrice + 400) * 0.001).toFixed(8)}`);
    } finally {
      await ccxt.close();
    }
  });

  it('a sell STOP_LOSS triggers when the replay trades down to its stop price and fills as a market order', async () => {
    const stopPrice = Math.floor(lastPrice() - 150);
    const placed = await placeOrder(sim, { side: 'SELL', type: 'STOP_LOSS', quantity: '0.5', stopPrice });
    const orderId = (placed.json as { orderId: number }).orderId;
    const at = reachedAt(stopPrice, true);

    sim.admin.clock({ set: at - MINUTE });
    expect((await getOrder(sim, orderId)).status, `at ${new Date(at - MINUTE).toISOString()} the replay has not reached ${stopPrice}: still waiting`).toBe('NEW');

    sim.admin.clock({ set: at });
    const filled = await getOrder(sim, orderId);
    expect(filled, `by ${new Date(at).toISOString()} the price reached ${stopPrice}: triggered (working since then) and filled`).toMatchObject({ status: 'FILLED', executedQty: '0.50000000', isWorking: true, type: 'STOP_LOSS' });
    expectFirstReach(filled.workingTime, stopPrice, at);
    const trades = ((await signed(sim, 'GET', 'myTrades', { symbol: 'BTCUSDT', orderId })).json as Json[]);
    expect(trades.length, 'the market sell filled').toBeGreaterThan(0);
    for (const trade of trades) {
      expect(trade.isMaker, 'a triggered stop takes liquidity').toBe(false);
      expect(trade.time, 'at the trigger time').toBe(filled.workingTime);
      expect(Math.abs(Number(trade.price) - stopPrice), 'at the bids of that moment: near the stop').toBeLessThan(5);
    }
    expect(symbolState().stops, 'a triggered stop leaves the pending list').toEqual([]);
    expect(btc().locked, 'and the locked quantity is spent').toBe('0.00000000');
    expect(Number(btc().free)).toBeCloseTo(9.5, 8);
  });

  it('a STOP_LOSS_LIMIT triggers into a resting limit order at its price, which cancels like any order', async () => {
    const stopPrice = Math.floor(lastPrice() - 150);
    // A limit far above the market: once triggered the sell rests on the book.
    const limit = stopPrice + 5000;
    const placed = await placeOrder(sim, { side: 'SELL', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', quantity: '0.5', price: limit, stopPrice });
    const orderId = (placed.json as { orderId: number }).orderId;
    const at = reachedAt(stopPrice, true);
    sim.admin.clock({ set: at });
    const triggered = await getOrder(sim, orderId);
    expect(triggered, 'triggered: working on the book since the trigger, still NEW, nothing filled').toMatchObject({ status: 'NEW', isWorking: true, executedQty: '0.00000000' });
    expectFirstReach(triggered.workingTime, stopPrice, at);
    expect(symbolState().restingOrders, 'the triggered order is on the book now').toBe(1);
    expect(symbolState().stops, 'and no longer waiting').toEqual([]);
    expect(btc().locked, 'the limit sell keeps its quantity locked').toBe('0.50000000');

    const canceled = await signed(sim, 'DELETE', 'order', { symbol: 'BTCUSDT', orderId });
    expect(canceled.json, 'DELETE order answers CANCELED with the stop price').toMatchObject({ status: 'CANCELED', type: 'STOP_LOSS_LIMIT', stopPrice: `${stopPrice}.00000000` });
    expect(symbolState().restingOrders).toBe(0);
    expect(btc(), 'the cancel releases the lock').toEqual({ free: '10.00000000', locked: '0.00000000' });
  });

  it('cancel takes back an untriggered stop: it never triggers and its funds are free again', async () => {
    const stopPrice = Math.floor(lastPrice() - 150);
    const placed = await placeOrder(sim, { side: 'SELL', type: 'STOP_LOSS', quantity: '0.5', stopPrice, newClientOrderId: 'stop-cancel' });
    const orderId = (placed.json as { orderId: number }).orderId;
    const canceled = await signed(sim, 'DELETE', 'order', { symbol: 'BTCUSDT', origClientOrderId: 'stop-cancel' });
    expect(canceled.status, canceled.text).toBe(200);
    expect(symbolState().stops, 'a canceled stop leaves the pending list').toEqual([]);
    expect(btc(), 'and its quantity is unlocked').toEqual({ free: '10.00000000', locked: '0.00000000' });
    sim.admin.clock({ set: reachedAt(stopPrice, true) });
    expect(await getOrder(sim, orderId), 'the replay passing the stop price later changes nothing').toMatchObject({ status: 'CANCELED', executedQty: '0.00000000', isWorking: false, workingTime: -1 });
    expect((await signed(sim, 'DELETE', 'order', { symbol: 'BTCUSDT', orderId })).json, 'a second cancel is -2011').toEqual({ code: -2011, msg: 'Unknown order sent.' });
  });

  it('TAKE_PROFIT is the mirror image: a buy below the market triggers when the price falls to it, and buys at the market', async () => {
    const stopPrice = Math.floor(lastPrice() - 150);
    const placed = await placeOrder(sim, { side: 'BUY', type: 'TAKE_PROFIT', quantity: '0.5', stopPrice });
    expect(placed.status, placed.text).toBe(200);
    expect(sim.admin.state().accounts[0]!.balances.USDT!.locked, 'a market-type buy stop locks stopPrice x quantity').toBe((stopPrice * 0.5).toFixed(8));
    const at = reachedAt(stopPrice, true);
    sim.admin.clock({ set: at });
    const filled = await getOrder(sim, (placed.json as { orderId: number }).orderId);
    expect(filled, 'triggered on the way down and filled as a market buy').toMatchObject({ status: 'FILLED', type: 'TAKE_PROFIT', side: 'BUY', executedQty: '0.50000000' });
    expectFirstReach(filled.workingTime, stopPrice, at);
    expect(Math.abs(Number(filled.cummulativeQuoteQty) / 0.5 - stopPrice), 'bought at the asks of that moment: near the stop').toBeLessThan(5);
    expect(sim.admin.state().accounts[0]!.balances.USDT!.locked, 'nothing stays locked').toBe('0.00000000');
  });

  it('user trades are last prices too: a market buy through a buy stop triggers it', async () => {
    const last = lastPrice();
    const stopPrice = (Math.round(last * 100) + 1) / 100;
    const stop = await placeOrder(sim, { side: 'BUY', type: 'STOP_LOSS', quantity: '0.01', stopPrice: stopPrice.toFixed(2) });
    expect(stop.status, stop.text).toBe(200);
    const stopId = (stop.json as { orderId: number }).orderId;
    expect((await getOrder(sim, stopId)).status).toBe('NEW');
    // The best ask is above the last print: a market buy prints there, at or above the stop.
    const taker = await placeOrder(sim, { side: 'BUY', type: 'MARKET', quantity: '0.01' });
    expect((taker.json as Json).status).toBe('FILLED');
    const triggered = await getOrder(sim, stopId);
    expect(triggered, `the buy at ${JSON.stringify((taker.json as { fills: unknown }).fills)} traded at or above the stop ${stopPrice}: the stop triggered and filled`).toMatchObject({ status: 'FILLED', isWorking: true, workingTime: DIP_START });
  });

  it('the WebSocket API user data stream reports placement, trigger (NEW, now working) and fill', async () => {
    const ws = await rawWs(sim.port, '/ws-api/v3');
    try {
      const auth: Record<string, string | number> = { apiKey: KEY, timestamp: Date.now() };
      const payload = Object.keys(auth).sort().map((k) => `${k}=${auth[k]}`).join('&');
      ws.send({ id: 'sub', method: 'userDataStream.subscribe.signature', params: { ...auth, signature: sign(payload) } });
      await ws.waitFor(1);
      expect(ws.messages[0], 'subscribed').toMatchObject({ id: 'sub', status: 200 });

      const stopPrice = Math.floor(lastPrice() - 150);
      const placed = await placeOrder(sim, { side: 'SELL', type: 'STOP_LOSS', quantity: '0.5', stopPrice, newClientOrderId: 'ws-stop' });
      const at = reachedAt(stopPrice, true);
      sim.admin.clock({ set: at });
      const reportsOf = () =>
        ws.messages
          .map((m) => (m as { event?: Json }).event)
          .filter((e): e is Json => e?.e === 'executionReport' && e.i === (placed.json as { orderId: number }).orderId);
      const deadline = Date.now() + 5000;
      while (reportsOf().at(-1)?.X !== 'FILLED' && Date.now() < deadline) await ws.waitFor(ws.messages.length + 1, 5000).catch(() => undefined);
      const reports = reportsOf();
      const stopP = `${stopPrice}.00000000`;
      expect(reports[0], 'placement: NEW, the stop price in P, not on the book (w false, no W)').toMatchObject({ x: 'NEW', X: 'NEW', o: 'STOP_LOSS', S: 'SELL', c: 'ws-stop', P: stopP, w: false, O: DIP_START });
      expect(reports[0]!.W, 'W (working time) appears only once the order is on the book').toBeUndefined();
      const triggerTime = (await getOrder(sim, (placed.json as { orderId: number }).orderId)).workingTime;
      expectFirstReach(triggerTime, stopPrice, at);
      expect(reports[1], 'trigger: NEW again, now working (w true, W the trigger time)').toMatchObject({ x: 'NEW', X: 'NEW', o: 'STOP_LOSS', P: stopP, w: true, W: triggerTime, E: triggerTime });
      expect(reports.slice(2).map((r) => r.x), 'then the market order\'s trades').toEqual(reports.slice(2).map(() => 'TRADE'));
      expect(reports.at(-1), 'ending FILLED').toMatchObject({ X: 'FILLED', z: '0.50000000', P: stopP, W: triggerTime, T: triggerTime });
      const ids = reports.map((r) => r.I);
      expect(new Set(ids).size, `execution ids are unique (${ids.join(', ')})`).toBe(ids.length);
      const positions = ws.messages.map((m) => (m as { event?: Json }).event).filter((e): e is Json => e?.e === 'outboundAccountPosition');
      const firstBtc = (positions[0]!.B as Array<{ a: string; f: string; l: string }>).find((b) => b.a === 'BTC');
      expect(firstBtc, 'placing the stop locks its BTC (outboundAccountPosition)').toEqual({ a: 'BTC', f: '9.50000000', l: '0.50000000' });
    } finally {
      ws.close();
    }
  });
});
