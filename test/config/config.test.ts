import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  FLAGS_SOURCE,
  configSchema,
  defaultConfig,
  formatConfig,
  loadConfig,
  resolveConfig,
} from '../../src/app/config/index.ts';
import type { ConfigIssue, TraiderConfig } from '../../src/app/config/index.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'traider-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Runs `fn`, expecting a ConfigError, and returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, but loading succeeded');
}

function issueAt(err: ConfigError, path: string): ConfigIssue {
  const found = err.issues.find((i) => i.path === path);
  if (found === undefined) throw new Error(`no issue at ${path}; issues: ${JSON.stringify(err.issues)}`);
  return found;
}

describe('defaults', () => {
  it('are valid on their own and carry the documented values', () => {
    const config = loadConfig({ env: {} });
    expect(config).toEqual(defaultConfig());
    expect(configSchema.safeParse(defaultConfig()).success).toBe(true);
    expect(config.fees.crypto).toEqual({ makerBps: 10, takerBps: 10 });
    expect(config.fees.ashare).toEqual({
      commissionRate: 0.00025,
      commissionMinimum: 5,
      stampDutyRate: 0.001,
      transferFeeRate: 0.00002,
      exchangeFeeRate: 0.0000487,
    });
    expect(config.fill).toEqual({
      model: 'realistic',
      spreadBps: { crypto: 2, ashare: 10 },
      impactCoefficient: 0.15,
      volatilityDays: 20,
      volumeDays: 20,
      participationCap: 0.05,
    });
    expect(config.backtest).toEqual({ capital: 10000, onBadRow: 'fail', adjust: 'pit' });
    expect(config.instruments).toEqual({});
  });

  it('are a fresh object on each call', () => {
    const a = defaultConfig();
    a.fees.crypto.makerBps = 99;
    expect(defaultConfig().fees.crypto.makerBps).toBe(10);
  });
});

describe('layers', () => {
  it('a JSON config file overrides defaults, keeping the defaults it does not mention', () => {
    const file = writeFile('override.json', JSON.stringify({ fees: { crypto: { takerBps: 7.5 } }, backtest: { capital: 500 } }));
    const config = loadConfig({ file, env: {} });
    expect(config.fees.crypto).toEqual({ makerBps: 10, takerBps: 7.5 });
    expect(config.backtest.capital).toBe(500);
    expect(config.fill.model).toBe('realistic');
  });

  it('a YAML config file (.yaml and .yml) overrides defaults', () => {
    const text = 'fill:\n  model: next-open\n  spreadBps:\n    crypto: 4\n';
    for (const name of ['override.yaml', 'override.yml']) {
      const config = loadConfig({ file: writeFile(name, text), env: {} });
      expect(config.fill.model).toBe('next-open');
      expect(config.fill.spreadBps).toEqual({ crypto: 4, ashare: 10 });
    }
  });

  it('a file with another extension is read as JSON, else as YAML', () => {
    expect(loadConfig({ file: writeFile('a.conf', '{"backtest": {"capital": 1}}'), env: {} }).backtest.capital).toBe(1);
    expect(loadConfig({ file: writeFile('b.conf', 'backtest:\n  capital: 2\n'), env: {} }).backtest.capital).toBe(2);
  });

  it('an empty config file changes nothing', () => {
    expect(loadConfig({ file: writeFile('empty.yaml', '# nothing yet\n'), env: {} })).toEqual(defaultConfig());
  });

  it('environment variables override the config file', () => {
    const file = writeFile('env-over.yaml', 'fill:\n  participationCap: 0.2\n  volumeDays: 30\n');
    const config = loadConfig({ file, env: { TRAIDER_FILL__PARTICIPATION_CAP: '0.1' } });
    expect(config.fill.participationCap).toBe(0.1);
    expect(config.fill.volumeDays).toBe(30);
  });

  it('flags override environment variables; undefined flags leave lower layers alone', () => {
    const config = loadConfig({
      env: { TRAIDER_FILL__MODEL: 'next-open', TRAIDER_BACKTEST__CAPITAL: '2000' },
      flags: { fill: { model: 'realistic' }, backtest: { capital: undefined, onBadRow: 'skip' } },
    });
    expect(config.fill.model).toBe('realistic');
    expect(config.backtest.capital).toBe(2000);
    expect(config.backtest.onBadRow).toBe('skip');
  });

  it('objects merge deeply while arrays and scalars replace', () => {
    const file = writeFile('deep.json', JSON.stringify({ instruments: { 'BTC/USDT': { tickSize: '0.01', market: 'crypto' } } }));
    const config = loadConfig({
      file,
      env: { TRAIDER_INSTRUMENTS: '{"BTC/USDT": {"lotSize": "0.00001"}, "ETH/USDT": {"tickSize": 0.01}}' },
    });
    expect(config.instruments).toEqual({
      'BTC/USDT': { tickSize: '0.01', lotSize: '0.00001', market: 'crypto' },
      'ETH/USDT': { tickSize: '0.01' },
    });
  });

  it('records which layer each value came from', () => {
    const file = writeFile('sources.yaml', 'fill:\n  volumeDays: 30\n');
    const resolved = resolveConfig({ file, env: { TRAIDER_FILL__MODEL: 'next-open' }, flags: { backtest: { capital: 5 } } });
    expect(resolved.sourceOf('fill.volumeDays')).toBe(file);
    expect(resolved.sourceOf('fill.model')).toBe('TRAIDER_FILL__MODEL');
    expect(resolved.sourceOf('backtest.capital')).toBe(FLAGS_SOURCE);
    expect(resolved.sourceOf('fill.participationCap')).toBeUndefined();
  });
});

describe('validation', () => {
  it('rejects an unknown top-level key with its path', () => {
    const err = configError(() => loadConfig({ env: {}, flags: { fil: { model: 'realistic' } } as never }));
    expect(err.issues).toEqual([{ path: 'fil', message: 'unknown key', source: FLAGS_SOURCE }]);
  });

  it('rejects an unknown nested key with its full path', () => {
    const file = writeFile('nested-unknown.yaml', 'fill:\n  spreadBps:\n    cryto: 3\n');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.issues).toEqual([{ path: 'fill.spreadBps.cryto', message: 'unknown key', source: file }]);
    expect(err.message).toContain('fill.spreadBps.cryto: unknown key');
  });

  it('rejects an unknown key inside an instrument', () => {
    const file = writeFile('instr-unknown.json', JSON.stringify({ instruments: { '600519.SH': { tick: '0.01' } } }));
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(issueAt(err, 'instruments["600519.SH"].tick').message).toBe('unknown key');
  });

  it('rejects a value of the wrong type, showing the value', () => {
    const err = configError(() => loadConfig({ env: {}, flags: { backtest: { capital: '10k' as unknown as number } } }));
    expect(issueAt(err, 'backtest.capital').message).toBe('expected number, received string ("10k")');
  });

  it('rejects a negative fee with the rule and the value', () => {
    const file = writeFile('negative-fee.yaml', 'fees:\n  crypto:\n    takerBps: -5\n');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.issues).toEqual([{ path: 'fees.crypto.takerBps', message: 'must be >= 0 (got -5)', source: file }]);
  });

  it('reports every problem at once: negative fee, unknown key and wrong type in one error', () => {
    const file = writeFile('config.yaml', 'fees:\n  crypto:\n    takerBps: -5\nfill:\n  spreadBps:\n    cryto: 3\n');
    const err = configError(() => loadConfig({ file, env: { TRAIDER_FILL__PARTICIPATION_CAP: 'lots' } }));
    expect(err.issues).toHaveLength(3);
    expect(err.message).toBe(
      [
        'invalid configuration (3 problems):',
        `  fees.crypto.takerBps: must be >= 0 (got -5) [from ${file}]`,
        `  fill.spreadBps.cryto: unknown key [from ${file}]`,
        '  fill.participationCap: expected number, received string ("lots") [from TRAIDER_FILL__PARTICIPATION_CAP]',
      ].join('\n'),
    );
  });

  it('rejects a misspelled enum value, listing the allowed ones', () => {
    const err = configError(() => loadConfig({ env: { TRAIDER_FILL__MODEL: 'next_open' } }));
    expect(err.issues).toEqual([
      {
        path: 'fill.model',
        message: 'must be one of "realistic", "next-open" (got "next_open")',
        source: 'TRAIDER_FILL__MODEL',
      },
    ]);
  });

  it('enforces the numeric rules: integers, exclusive bounds and rate caps', () => {
    const err = configError(() =>
      loadConfig({
        env: {},
        flags: {
          fill: { volatilityDays: 1, volumeDays: 2.5, participationCap: 0 },
          backtest: { capital: 0 },
          fees: { ashare: { stampDutyRate: 0.1 }, crypto: { makerBps: 1001 } },
        },
      }),
    );
    expect(issueAt(err, 'fill.volatilityDays').message).toBe('must be >= 2 (got 1)');
    expect(issueAt(err, 'fill.volumeDays').message).toBe('must be an integer (got 2.5)');
    expect(issueAt(err, 'fill.participationCap').message).toBe('must be > 0 (got 0)');
    expect(issueAt(err, 'backtest.capital').message).toBe('must be > 0 (got 0)');
    expect(issueAt(err, 'fees.ashare.stampDutyRate').message).toBe('must be < 0.1 (got 0.1)');
    expect(issueAt(err, 'fees.crypto.makerBps').message).toBe('must be <= 1000 (got 1001)');
    expect(err.issues).toHaveLength(6);
  });

  it('normalizes tick and lot sizes to decimal strings without exponent', () => {
    const config = loadConfig({
      env: {},
      flags: { instruments: { 'BTC/USDT': { tickSize: 1e-7 as unknown as string, lotSize: '0.001' }, X: { lotSize: 100 as unknown as string } } },
    });
    expect(config.instruments['BTC/USDT']).toEqual({ tickSize: '0.0000001', lotSize: '0.001' });
    expect(config.instruments['X']).toEqual({ lotSize: '100' });
  });

  it('rejects bad instrument fields: zero tick, signed lot, impossible date, bad symbol', () => {
    const file = writeFile(
      'bad-instruments.json',
      JSON.stringify({
        instruments: {
          '600519.SH': { tickSize: '0.00', lotSize: -100, listingDate: '2001-02-30', board: 'gem', st: 'no' },
          'BAD SYMBOL': {},
        },
      }),
    );
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(issueAt(err, 'instruments["600519.SH"].tickSize').message).toBe('must be > 0 (got "0.00")');
    expect(issueAt(err, 'instruments["600519.SH"].lotSize').message).toMatch(/^must be a positive decimal/);
    expect(issueAt(err, 'instruments["600519.SH"].listingDate').message).toBe('must be a date YYYY-MM-DD (got "2001-02-30")');
    expect(issueAt(err, 'instruments["600519.SH"].board').message).toBe('must be one of "main", "chinext", "star" (got "gem")');
    expect(issueAt(err, 'instruments["600519.SH"].st').message).toBe('expected boolean, received string ("no")');
    expect(issueAt(err, 'instruments["BAD SYMBOL"]').message).toMatch(/^invalid key/);
  });

  it('rejects keys such as __proto__ as unknown instead of merging them into the prototype', () => {
    const file = writeFile('proto.json', '{"fill": {"__proto__": {"model": "next-open"}}}');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(issueAt(err, 'fill.__proto__').message).toBe('unknown key');
    expect(({} as Record<string, unknown>)['model']).toBeUndefined();
  });
});

describe('environment variables', () => {
  it('map TRAIDER_SECTION__KEY names to camelCase paths and parse values as JSON', () => {
    const config = loadConfig({
      env: {
        TRAIDER_FEES__CRYPTO__TAKER_BPS: '7.5',
        TRAIDER_FEES__ASHARE__COMMISSION_MINIMUM: '0',
        TRAIDER_FILL__SPREAD_BPS__ASHARE: '12',
        TRAIDER_FILL__MODEL: 'next-open',
        TRAIDER_BACKTEST__ON_BAD_ROW: '"skip"',
        TRAIDER_INSTRUMENTS: '{"600519.SH": {"st": true, "board": "main"}}',
      },
    });
    expect(config.fees.crypto.takerBps).toBe(7.5);
    expect(config.fees.ashare.commissionMinimum).toBe(0);
    expect(config.fill.spreadBps.ashare).toBe(12);
    expect(config.fill.model).toBe('next-open');
    expect(config.backtest.onBadRow).toBe('skip');
    expect(config.instruments['600519.SH']).toEqual({ st: true, board: 'main' });
  });

  it('a whole-section variable is overridden by a more specific one', () => {
    const config = loadConfig({
      env: { TRAIDER_FILL__VOLUME_DAYS: '5', TRAIDER_FILL: '{"volumeDays": 9, "volatilityDays": 9}' },
    });
    expect(config.fill.volumeDays).toBe(5);
    expect(config.fill.volatilityDays).toBe(9);
  });

  it('ignore TRAIDER_* variables whose first segment is not a config section, and undefined values', () => {
    const config = loadConfig({
      env: {
        TRAIDER_DB: '/var/lib/traider.db',
        TRAIDER_BINANCE_API_KEY: 'secret',
        TRAIDER_FILLS__X: '1',
        PATH: '/usr/bin',
        TRAIDER_FILL__MODEL: undefined,
      },
    });
    expect(config).toEqual(defaultConfig());
  });

  it('report an unknown key under a known section, naming the variable', () => {
    const err = configError(() => loadConfig({ env: { TRAIDER_FILL__PARTICPATION_CAP: '0.1' } }));
    expect(err.issues).toEqual([{ path: 'fill.particpationCap', message: 'unknown key', source: 'TRAIDER_FILL__PARTICPATION_CAP' }]);
  });

  it('report a malformed name under a known section', () => {
    const err = configError(() => loadConfig({ env: { TRAIDER_FILL____MODEL: 'realistic' } }));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.message).toContain('TRAIDER_FILL____MODEL');
  });
});

describe('config files that cannot be used', () => {
  it('a missing file is a ConfigError naming the file', () => {
    const file = join(dir, 'does-not-exist.yaml');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.issues).toHaveLength(1);
    expect(err.message).toContain(file);
    expect(err.message).toContain('not found');
  });

  it('a YAML syntax error names the file and the line', () => {
    const file = writeFile('broken.yaml', 'fees:\n  crypto:\n    takerBps: 5\n   makerBps: 3\n');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.issues).toHaveLength(1);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/line 4\b/);
  });

  it('a JSON syntax error names the file and the line', () => {
    const file = writeFile('broken.json', '{\n  "fill": {\n    "model": "realistic",\n  }\n}\n');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/line 4\b/);
  });

  it('a file whose top level is not a mapping is rejected', () => {
    const file = writeFile('list.yaml', '- 1\n- 2\n');
    const err = configError(() => loadConfig({ file, env: {} }));
    expect(err.message).toContain('mapping');
  });
});

describe('formatConfig', () => {
  const config: TraiderConfig = loadConfig({
    env: {},
    flags: { fill: { model: 'next-open' }, instruments: { 'BTC/USDT': { tickSize: '0.01', market: 'crypto' } } },
  });

  it('prints JSON that loads back to the same configuration', () => {
    const text = formatConfig(config, 'json');
    expect(JSON.parse(text)).toEqual(config);
    expect(loadConfig({ file: writeFile('shown.json', text), env: {} })).toEqual(config);
  });

  it('prints YAML that loads back to the same configuration, decimal strings staying strings', () => {
    const text = formatConfig(config, 'yaml');
    expect(text).toContain('model: next-open');
    expect(text).toContain('tickSize: "0.01"');
    expect(loadConfig({ file: writeFile('shown.yaml', text), env: {} })).toEqual(config);
  });
});
