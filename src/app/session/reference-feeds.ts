// Reference sources of a session (`--reference-url`, repeatable): the same market data from another
// venue or another local exchange, read through the same exchange API with no credentials. They feed
// the data-quality layer (consensus, failover) and never the strategy. A reference that cannot be
// reached is logged and left out: it never stops the session.
import { CcxtDataClient, type CcxtMarketApi, createExchange, syncVenueClock } from '../../adapters/ccxt/index.ts';
import { LiveClock, type MarketDataSink } from '../../common/index.ts';

export interface ReferenceFeed {
  /** 'ref1', 'ref2', ... in the order given. */
  readonly name: string;
  readonly url: string;
  readonly data: CcxtDataClient;
}

export async function openReferenceFeeds(
  urls: readonly string[],
  exchange: string,
  symbols: readonly string[],
  timeframe: string,
  log: (line: string) => void,
): Promise<ReferenceFeed[]> {
  const feeds: ReferenceFeed[] = [];
  for (const [i, url] of urls.entries()) {
    const name = `ref${i + 1}`;
    try {
      const api = await createExchange({ exchange, url, env: {} });
      await api.loadMarkets();
      const clock = new LiveClock();
      await syncVenueClock(api as unknown as CcxtMarketApi, clock);
      const data = new CcxtDataClient(api as unknown as CcxtMarketApi, clock, { symbols, timeframe, warmupBars: 0, log: (line) => log(`${name}: ${line}`) });
      feeds.push({ name, url, data });
      log(`reference ${name}: ${url}`);
    } catch (error) {
      log(`reference ${name} (${url}) left out: ${(error as Error).message}`);
    }
  }
  return feeds;
}

export async function startReferenceFeeds(feeds: readonly ReferenceFeed[], sinkOf: (name: string) => MarketDataSink): Promise<void> {
  for (const feed of feeds) await feed.data.start(sinkOf(feed.name));
}

export async function stopReferenceFeeds(feeds: readonly ReferenceFeed[]): Promise<void> {
  await Promise.allSettled(feeds.map((feed) => feed.data.stop()));
}
