// Deployments through the API: created in PAPER, shown, edited, paused, resumed and stopped, each change audited
// with its actor (edits with the values before and after); bad requests get 400 with every problem listed and
// change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const CREATE = { name: 'btc-sma', strategy: 'sma-cross', params: { fast: 5, slow: 20 }, symbols: ['BTC/USDT'], exchange: 'binance', url: 'http://127.0.0.1:9', capital: 5000, confirm: 'btc-sma' };

/** The audit entries after `seq`, as {actor, kind, payload}. */
async function auditAfter(seq: number): Promise<{ seq: number; actor: string; kind: string; payload: any }[]> {
  const page = (await api.call('GET', `/api/v1/audit?afterSeq=${seq}&limit=1000`, { as: 'viewer' })).body;
  return page.entries.map((e: { seq: number; actor: string; kind: string; payload: string }) => ({ seq: e.seq, actor: e.actor, kind: e.kind, payload: JSON.parse(e.payload) }));
}

async function headSeq(): Promise<number> {
  const entries = await auditAfter(0);
  return entries.at(-1)?.seq ?? 0;
}

describe('a deployment through the API', () => {
  it('is created in PAPER and ACTIVE, shown by name with its mode, and the creation is audited with the actor', async () => {
    const before = await headSeq();
    const created = await api.call('POST', '/api/v1/deployments', { as: 'operator', body: CREATE });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const shown = await api.call('GET', '/api/v1/deployments/btc-sma', { as: 'viewer' });
    expect(shown.body).toMatchObject({ name: 'btc-sma', mode: 'PAPER', status: 'ACTIVE', strategy: 'sma-cross', parameters: { fast: 5, slow: 20 }, symbols: ['BTC/USDT'], capital: 5000, createdBy: 'token:test-operator', version: 1 });
    const audit = await auditAfter(before);
    expect(audit.map((e) => [e.actor, e.kind])).toEqual([['token:test-operator', 'deployment.created']]);
    expect((await api.call('GET', '/api/v1/deployments', { as: 'viewer' })).body.map((d: { name: string }) => d.name)).toEqual(['btc-sma']);
  });

  it('an edit is audited with the values before and after', async () => {
    const before = await headSeq();
    const edited = await api.call('PATCH', '/api/v1/deployments/btc-sma', { as: 'operator', body: { params: { fast: 8, slow: 30 }, capital: 6000, confirm: 'btc-sma' } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ parameters: { fast: 8, slow: 30 }, capital: 6000, version: 2 });
    const [entry] = await auditAfter(before);
    expect(entry).toMatchObject({ actor: 'token:test-operator', kind: 'deployment.edited', payload: { name: 'btc-sma', before: { parameters: { fast: 5, slow: 20 }, capital: 5000 }, after: { parameters: { fast: 8, slow: 30 }, capital: 6000 } } });
  });

  it('pauses, resumes and stops; a transition its state does not allow is 409', async () => {
    const call = (action: string) => api.call('POST', `/api/v1/deployments/btc-sma/${action}`, { as: 'operator', body: { confirm: 'btc-sma' } });
    expect((await call('resume')).status).toBe(409);
    expect((await call('pause')).body.status).toBe('PAUSED');
    expect((await call('resume')).body.status).toBe('ACTIVE');
    expect((await call('stop')).body.status).toBe('STOPPED');
    expect((await call('resume')).status).toBe(409);
  });

  it('LIVE_MINIMAL needs the admin role and confirmLive', async () => {
    const live = { ...CREATE, name: 'btc-live', confirm: 'btc-live', mode: 'LIVE_MINIMAL', confirmLive: true };
    expect((await api.call('POST', '/api/v1/deployments', { as: 'operator', body: live })).status).toBe(403);
    const unconfirmed = await api.call('POST', '/api/v1/deployments', { as: 'admin', body: { ...live, confirmLive: undefined } });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.problems.map((p: { path: string }) => p.path)).toEqual(['body.confirmLive']);
    const created = await api.call('POST', '/api/v1/deployments', { as: 'admin', body: live });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.mode).toBe('LIVE_MINIMAL');
  });

  it('a missing deployment is 404 for a reader and for a change', async () => {
    expect((await api.call('GET', '/api/v1/deployments/nope', { as: 'viewer' })).status).toBe(404);
    expect((await api.call('POST', '/api/v1/deployments/nope/pause', { as: 'operator', body: { confirm: 'nope' } })).status).toBe(404);
  });
});

describe('bad requests', () => {
  async function refused(body: unknown, raw?: string): Promise<{ path: string; value?: unknown; rule: string }[]> {
    const before = await headSeq();
    const listed = (await api.call('GET', '/api/v1/deployments', { as: 'viewer' })).body;
    const r = await api.call('POST', '/api/v1/deployments', { as: 'operator', body, raw });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error).toBe('invalid request');
    // Nothing changed: no deployment, no audit entry.
    expect((await api.call('GET', '/api/v1/deployments', { as: 'viewer' })).body).toEqual(listed);
    expect(await headSeq()).toBe(before);
    return r.body.problems;
  }

  it('wrong types and unknown fields: every problem listed with its path, value and rule', async () => {
    const problems = await refused({ ...CREATE, name: 'x1', confirm: 'x1', capital: 'lots', symbols: 'BTC/USDT', colour: 'red', exchange: 7 });
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual(['body.capital', 'body.colour', 'body.exchange', 'body.symbols']);
    expect(byPath['body.capital']).toMatchObject({ value: 'lots', rule: expect.stringContaining('expected number') });
    expect(byPath['body.exchange']).toMatchObject({ value: 7 });
    expect(byPath['body.colour']!.rule).toBe('unknown key');
  });

  it('strategy parameters are checked as the CLI checks them, every problem listed', async () => {
    const problems = await refused({ ...CREATE, name: 'x2', confirm: 'x2', params: { fast: 50, slow: 20, lowr: 3 } });
    expect(problems.map((p) => p.path).sort()).toEqual(expect.arrayContaining(['body.params.lowr']));
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it('a confirmation naming another target', async () => {
    const problems = await refused({ ...CREATE, name: 'x3', confirm: 'btc-sma' });
    expect(problems).toEqual([{ path: 'body.confirm', value: 'btc-sma', rule: 'must name the target of this request, "x3"' }]);
  });

  it('a body over 1 MB, and a body that is not JSON', async () => {
    const big = JSON.stringify({ ...CREATE, name: 'x4', confirm: 'x4', params: { pad: 'x'.repeat(1_100_000) } });
    expect(await refused(undefined, big)).toEqual([{ path: 'body', rule: 'must be at most 1048576 bytes (1 MiB)' }]);
    expect(await refused(undefined, '{"name": ')).toEqual([{ path: 'body', rule: expect.stringMatching(/^is not valid JSON/) }]);
    expect(await refused(undefined, '{"__proto__": {"admin": true}}')).toEqual([{ path: 'body', rule: expect.stringMatching(/^is not valid JSON/) }]);
  });

  it('an edit with a wrong confirmation changes nothing', async () => {
    const before = (await api.call('GET', '/api/v1/deployments/btc-live', { as: 'viewer' })).body;
    const r = await api.call('PATCH', '/api/v1/deployments/btc-live', { as: 'operator', body: { capital: 1, confirm: 'btc-sma' } });
    expect(r.status).toBe(400);
    expect((await api.call('GET', '/api/v1/deployments/btc-live', { as: 'viewer' })).body).toEqual(before);
  });
});
