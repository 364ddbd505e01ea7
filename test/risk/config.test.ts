// The `risk` config section: defaults equal the engine's, every problem is reported at once with its
// path, a bad file stops `traider backtest` with a non-zero exit, and the values reach the engine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/app/backtest/run-backtest.ts';
import { ConfigError, defaultConfig, loadConfig } from '../../src/app/config/index.ts';
import { formatCooldown, parseCooldown, toRiskConfig } from '../../src/app/config/risk-schema.ts';
import { DEFAULT_RISK_CONFIG } from '../../src/engines/risk/config.ts';
import { RiskMode } from '../../src/engines/risk/codes.ts';
import { runCli } from '../cli/run-cli.ts';
import { MINUTE } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'traider-risk-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const BAD = `risk:
  reduceRiskFactor: 0
  preTrade:
    maxOrderNotional: -5
    maxPositionFraction: -0.1
    maxOrdersPerSecond: 0
    fatFinger: 3
  breakers:
    paper:
      dailyLoss:
        threshold: -0.03
        level: HALT_NEW_POSITION
      drawdown:
        cooldown: 3 days
      dataFailures:
        threshold: 2.5
    live:
      weeklyLoss:
        level: normal
        threshold: 7
      varLimt: {}
  modes:
    PAPER:
      totalExposure: 2
    LIVE_SCALED: []
`;

const BAD_PATHS = [
  'risk.reduceRiskFactor',
  'risk.preTrade.maxOrderNotional',
  'risk.preTrade.maxPositionFraction',
  'risk.preTrade.maxOrdersPerSecond',
  'risk.preTrade.fatFinger',
  'risk.breakers.paper.dailyLoss.threshold',
  'risk.breakers.paper.dailyLoss.level',
  'risk.breakers.paper.drawdown.cooldown',
  'risk.breakers.paper.dataFailures.threshold',
  'risk.breakers.live.weeklyLoss.threshold',
  'risk.breakers.live.weeklyLoss.level',
  'risk.breakers.live.varLimt',
  'risk.modes.PAPER.totalExposure',
  'risk.modes.LIVE_SCALED',
];

/** A small crypto file: 3 days of 1-minute bars around 100. */
function smallData(): string {
  const start = Date.UTC(2024, 2, 4);
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < 3 * 1440; i++) {
    const p = Math.round((100 + Math.sin(i / 30)) * 100) / 100;
    lines.push(`${start + i * MINUTE},${p},${p},${p},${p},100000`);
  }
  return write('TESTUSDT-1m-2024-03-04_2024-03-06.csv', `${lines.join('\n')}\n`);
}

describe('defaults', () => {
  it('the validated defaults are the engine defaults', () => {
    expect(toRiskConfig(defaultConfig().risk)).toEqual(DEFAULT_RISK_CONFIG);
  });

  it('config show prints the risk section with cooldowns as text', () => {
    const result = runCli(['config', 'show', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const risk = JSON.parse(result.stdout).risk;
    expect(risk.breakers.paper.dailyLoss).toEqual({ enabled: true, threshold: 0.03, level: 'HALT_NEW_POSITIONS', cooldown: 'next-trading-day' });
    expect(risk.breakers.live.dailyLoss.cooldown).toBe('next-trading-day+4h');
    expect(risk.breakers.live.drawdown).toEqual({ enabled: true, threshold: 0.03, level: 'EMERGENCY_CLOSE', cooldown: '1d' });
    expect(risk.preTrade.priceBandBps).toBe(500);
  });

  it('cooldown text round-trips', () => {
    for (const text of ['next-trading-day', 'next-trading-day+4h', 'next-week', 'while-above', '24h', '90m', '1d', '2h', '500ms']) {
      const parsed = parseCooldown(text);
      expect(parsed, text).toBeDefined();
      expect(parseCooldown(formatCooldown(parsed!))).toEqual(parsed);
    }
    for (const text of ['3 days', 'next-trading-day+', 'tomorrow', '-1h', '']) expect(parseCooldown(text), text).toBeUndefined();
  });
});

describe('a bad risk section', () => {
  it('is one error listing every problem with its path (negative limits, unknown keys, misspelled levels)', () => {
    const file = write('bad.yaml', BAD);
    let error: unknown;
    try {
      loadConfig({ file, env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path).sort()).toEqual([...BAD_PATHS].sort());
    const at = (path: string): string => issues.find((i) => i.path === path)!.message;
    expect(at('risk.preTrade.maxOrderNotional')).toBe('must be > 0 (got -5)');
    expect(at('risk.preTrade.fatFinger')).toBe('unknown key');
    expect(at('risk.breakers.paper.dailyLoss.level')).toMatch(/must be one of "WARNING", "REDUCE_RISK", "HALT_NEW_POSITIONS", "HALT_ALL_TRADING", "EMERGENCY_CLOSE" \(got "HALT_NEW_POSITION"\)/);
    expect(at('risk.breakers.paper.drawdown.cooldown')).toMatch(/got "3 days"/);
    // A loss threshold is a fraction: 7 (meant as 7%) would never trip.
    expect(at('risk.breakers.live.weeklyLoss.threshold')).toBe('must be <= 1 (got 7)');
    expect(at('risk.breakers.paper.dataFailures.threshold')).toMatch(/integer/);
    for (const issue of issues) expect(issue.source).toBe(file);
  });

  it('stops `traider backtest --config bad.yaml` with a non-zero exit, every path on stderr, nothing on stdout', () => {
    const file = write('bad-cli.yaml', BAD);
    const result = runCli(['backtest', '--data', smallData(), '--strategy', 'buy-and-hold', '--config', file, '--json']);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/invalid configuration \(14 problems\)/);
    for (const path of BAD_PATHS) expect(result.stderr).toContain(`${path}:`);
  });

  it('also comes from TRAIDER_RISK__ environment variables, named in the message', () => {
    let error: unknown;
    try {
      loadConfig({ env: { TRAIDER_RISK__PRE_TRADE__PRICE_BAND_BPS: '-1' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/risk\.preTrade\.priceBandBps: must be > 0 \(got -1\)/);
  });
});

describe('the risk section reaches the backtest', () => {
  const data = smallData();

  it('denials are counted by reason in the summary (maxOrderNotional 100 refuses buy-and-hold)', async () => {
    const config = loadConfig({ file: write('notional.yaml', 'risk:\n  preTrade:\n    maxOrderNotional: 100\n'), env: {} });
    const outcome = await runBacktest({ dataFiles: [data], strategy: 'buy-and-hold', config, benchmark: false });
    expect(outcome.summary.denials).toEqual({ MAX_NOTIONAL: 1 });
    expect(outcome.summary.fills).toBe(0);
    expect(outcome.summary.riskMode).toBe(RiskMode.Backtest);
  });

  it('--risk-mode PAPER caps exposure at 20%; LIVE_SCALED --risk-step 3 at 10%', async () => {
    const config = defaultConfig();
    const paper = await runBacktest({ dataFiles: [data], strategy: 'buy-and-hold', config, riskMode: RiskMode.Paper, benchmark: false });
    expect(paper.summary.riskMode).toBe('PAPER');
    const paperValue = paper.fills.reduce((sum, f) => sum + f.price * f.quantity, 0);
    expect(paperValue).toBeGreaterThan(0.19 * config.backtest.capital);
    // Sized at the decision price; the fill pays the next open plus half the spread.
    expect(paperValue).toBeLessThanOrEqual(0.2 * config.backtest.capital * 1.001);
    const scaled = await runBacktest({ dataFiles: [data], strategy: 'buy-and-hold', config, riskMode: RiskMode.LiveScaled, riskStep: 3, benchmark: false });
    expect(scaled.summary.riskMode).toBe('LIVE_SCALED');
    const scaledValue = scaled.fills.reduce((sum, f) => sum + f.price * f.quantity, 0);
    expect(scaledValue).toBeGreaterThan(0.09 * config.backtest.capital);
    expect(scaledValue).toBeLessThanOrEqual(0.1 * config.backtest.capital * 1.001);
  });

  it('refuses an unknown --risk-mode with a usage error', () => {
    const result = runCli(['backtest', '--data', data, '--strategy', 'buy-and-hold', '--risk-mode', 'YOLO', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--risk-mode/);
  });
});
