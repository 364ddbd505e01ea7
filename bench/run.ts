// `npm run bench`: every benchmark, one JSON object on stdout (progress on stderr).
import { benchBacktest } from './backtest.ts';
import { benchIndicators } from './indicators.ts';
import { benchRisk } from './risk.ts';
import { benchAudit } from './audit.ts';
import { benchBook } from './book.ts';
import { benchPaper } from './paper.ts';
import { benchSessions } from './sessions.ts';
import { benchStaleDetect } from './stale.ts';
import { benchServer } from './server.ts';
import { benchEmergency } from './emergency.ts';
import { benchDeploymentReads } from './deployment-reads.ts';

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  const log = (message: string): void => void process.stderr.write(`bench: ${message}\n`);
  log('backtest (1,000,000 bars through the kernel vs a typed-array loop)');
  results.backtest = await benchBacktest();
  log('indicators vs trading-signals');
  results.indicators = await benchIndicators();
  log('risk: pre-trade chain, VaR, backtest with the risk engine');
  results.risk = await benchRisk();
  log('audit: durable appends and verification (SQLite, PostgreSQL)');
  results.audit = await benchAudit();
  log('order book: the real capture through our book and through ccxt');
  results.book = await benchBook();
  log('paper: tick to order on loopback');
  results.paper = await benchPaper();
  log('sessions: resuming a journaled replay after a day of 1m bars');
  results.sessions = await benchSessions();
  log('sessions: a silent feed detected on the clock (speed 1, about 10 s)');
  results.sessions = { ...(results.sessions as object), ...(await benchStaleDetect()) };
  log('server: API latency with 100 concurrent clients, against a plain node:http server');
  results.server = await benchServer();
  log('server: kill-all (halt, closing orders) and live events, timed by a WebSocket client');
  results.server = { ...(results.server as object), ...(await benchEmergency()) };
  log('server: deployment views over a month of journaled 1m bars, each reading only its tables, against the whole journal');
  results.server = { ...(results.server as object), deploymentReads: await benchDeploymentReads() };
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

await main();
