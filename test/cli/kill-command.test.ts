// `traider kill` as an operator types it: one or more deployments by name, or --all, over the API; usage mistakes
// are refused before anything is sent; an unreachable server says how to kill without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from '../server/harness.ts';
import { runCliAsync } from './run-cli.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
  for (const name of ['one', 'two', 'three']) {
    const created = await api.call('POST', '/api/v1/deployments', { as: 'operator', body: { name, strategy: 'buy-and-hold', symbols: ['BTC/USDT'], exchange: 'binance', url: 'http://127.0.0.1:9', confirm: name } });
    expect(created.status).toBe(201);
  }
});
afterAll(() => api.close());

const env = () => ({ ...process.env, TRAIDER_SERVER: api.url, TRAIDER_TOKEN: api.tokens.operator });
const modes = async () => Object.fromEntries(((await api.call('GET', '/api/v1/deployments', { as: 'viewer' })).body as { name: string; mode: string }[]).map((d) => [d.name, d.mode]));

describe('traider kill', () => {
  it('refuses usage mistakes with exit 2 and sends nothing', async () => {
    for (const [args, message] of [
      [[], '--deployment NAME or --all: say what to stop'],
      [['--all', '--deployment', 'one'], '--all and --deployment: give one of them'],
      [['--all', '--db', 'x.db'], '--db and --config go with --direct'],
    ] as const) {
      const run = await runCliAsync(['kill', ...args], { env: env() });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect(await modes()).toEqual({ one: 'PAPER', two: 'PAPER', three: 'PAPER' });
  });

  it('stops the named deployments, keeping positions when told, and names them', async () => {
    const run = await runCliAsync(['kill', '--deployment', 'one,two', '--keep-positions', '--reason', 'drill'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('EMERGENCY_STOP: one, two (orders canceled, positions kept); `traider deploy reset NAME` ends it\n');
    expect(await modes()).toEqual({ one: 'EMERGENCY_STOP', two: 'EMERGENCY_STOP', three: 'PAPER' });
    const audit = (await api.call('GET', '/api/v1/audit?limit=1000', { as: 'viewer' })).body.entries.filter((e: { kind: string }) => e.kind === 'deployment.emergency-stop');
    expect(audit.map((e: { actor: string; payload: string }) => [e.actor, JSON.parse(e.payload).flatten, JSON.parse(e.payload).reason])).toEqual([
      ['token:test-operator', false, 'drill'],
      ['token:test-operator', false, 'drill'],
    ]);
  });

  it('refuses a viewer (the server answers 403; exit 1)', async () => {
    const run = await runCliAsync(['kill', '--all'], { env: { ...env(), TRAIDER_TOKEN: api.tokens.viewer } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('403');
    expect((await modes()).three).toBe('PAPER');
  });

  it('points to --direct when the server cannot be reached', async () => {
    const run = await runCliAsync(['kill', '--all'], { env: { ...env(), TRAIDER_SERVER: 'http://127.0.0.1:9' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach the traider server at http://127.0.0.1:9');
    expect(run.stderr).toContain('traider kill --all --direct --db URL');
  });
});
