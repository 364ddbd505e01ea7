// EMERGENCY_STOP through the API: one deployment, or every one (kill-all, confirm "ALL"); operator role; it stays
// until a reset (back to PAPER); each change is audited with its actor and what it asked (flatten or keep).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
  for (const name of ['alpha', 'beta']) {
    const created = await api.call('POST', '/api/v1/deployments', { as: 'operator', body: { name, strategy: 'buy-and-hold', symbols: ['BTC/USDT'], exchange: 'binance', url: 'http://127.0.0.1:9', confirm: name } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
});
afterAll(() => api.close());

async function auditAfter(seq: number): Promise<{ seq: number; actor: string; kind: string; payload: any }[]> {
  const page = (await api.call('GET', `/api/v1/audit?afterSeq=${seq}&limit=1000`, { as: 'viewer' })).body;
  return page.entries.map((e: { seq: number; actor: string; kind: string; payload: string }) => ({ seq: e.seq, actor: e.actor, kind: e.kind, payload: JSON.parse(e.payload) }));
}
const headSeq = async (): Promise<number> => (await auditAfter(0)).at(-1)?.seq ?? 0;

describe('emergency stop over the API', () => {
  it('refuses a viewer (403), a wrong confirmation (400) and an unknown deployment (404), changing nothing', async () => {
    const before = await headSeq();
    expect((await api.call('POST', '/api/v1/deployments/alpha/emergency-stop', { as: 'viewer', body: { confirm: 'alpha' } })).status).toBe(403);
    const wrong = await api.call('POST', '/api/v1/deployments/alpha/emergency-stop', { as: 'operator', body: { confirm: 'beta' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.problems).toEqual([{ path: 'body.confirm', value: 'beta', rule: 'must name the target of this request, "alpha"' }]);
    expect((await api.call('POST', '/api/v1/deployments/gamma/emergency-stop', { as: 'operator', body: { confirm: 'gamma' } })).status).toBe(404);
    const killAll = await api.call('POST', '/api/v1/kill', { as: 'operator', body: { confirm: 'all' } });
    expect(killAll.status).toBe(400);
    expect(killAll.body.problems[0]).toMatchObject({ path: 'body.confirm', value: 'all' });
    expect(await auditAfter(before)).toEqual([]);
    expect((await api.call('GET', '/api/v1/deployments/alpha', { as: 'viewer' })).body.mode).toBe('PAPER');
  });

  it('stops one deployment until a named operator resets it; keeping positions is recorded', async () => {
    const before = await headSeq();
    const stopped = await api.call('POST', '/api/v1/deployments/alpha/emergency-stop', { as: 'operator', body: { confirm: 'alpha', flatten: false, reason: 'venue outage' } });
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
    expect(stopped.body).toMatchObject({ name: 'alpha', mode: 'EMERGENCY_STOP', status: 'ACTIVE' });
    // Pausing and resuming do not end it: only a reset does.
    expect((await api.call('POST', '/api/v1/deployments/alpha/pause', { as: 'operator', body: { confirm: 'alpha' } })).body.mode).toBe('EMERGENCY_STOP');
    expect((await api.call('POST', '/api/v1/deployments/alpha/resume', { as: 'operator', body: { confirm: 'alpha' } })).body).toMatchObject({ mode: 'EMERGENCY_STOP', status: 'ACTIVE' });
    const reset = await api.call('POST', '/api/v1/deployments/alpha/reset', { as: 'operator', body: { confirm: 'alpha' } });
    expect(reset.body).toMatchObject({ mode: 'PAPER', runId: null });
    expect((await api.call('POST', '/api/v1/deployments/alpha/reset', { as: 'operator', body: { confirm: 'alpha' } })).status).toBe(409);
    expect((await auditAfter(before)).map((e) => [e.actor, e.kind, e.payload])).toEqual([
      ['token:test-operator', 'deployment.emergency-stop', { name: 'alpha', before: 'PAPER', after: 'EMERGENCY_STOP', flatten: false, reason: 'venue outage' }],
      ['token:test-operator', 'deployment.paused', { name: 'alpha', before: 'ACTIVE', after: 'PAUSED' }],
      ['token:test-operator', 'deployment.resumed', { name: 'alpha', before: 'PAUSED', after: 'ACTIVE' }],
      ['token:test-operator', 'deployment.reset', { name: 'alpha', before: 'EMERGENCY_STOP', after: 'PAPER' }],
    ]);
  });

  it('kill-all stops every deployment, each audited, flattening by default', async () => {
    const before = await headSeq();
    const killed = await api.call('POST', '/api/v1/kill', { as: 'operator', body: { confirm: 'ALL' } });
    expect(killed.status, JSON.stringify(killed.body)).toBe(200);
    expect(killed.body.map((d: { name: string; mode: string }) => `${d.name} ${d.mode}`)).toEqual(['alpha EMERGENCY_STOP', 'beta EMERGENCY_STOP']);
    const audit = await auditAfter(before);
    expect(audit.map((e) => [e.actor, e.kind, e.payload.name, e.payload.flatten])).toEqual([
      ['token:test-operator', 'deployment.emergency-stop', 'alpha', true],
      ['token:test-operator', 'deployment.emergency-stop', 'beta', true],
    ]);
    for (const name of ['alpha', 'beta']) expect((await api.call('GET', `/api/v1/deployments/${name}`, { as: 'viewer' })).body.mode).toBe('EMERGENCY_STOP');
  });
});
