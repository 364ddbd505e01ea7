// The lint's wall-clock check (scripts/check-clock.ts, run by `npm run lint`): what it flags and what it leaves alone.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkClock, findClockUses } from '../../scripts/check-clock.ts';

const uses = (text: string, file = 'src/engines/x.ts'): string[] => findClockUses(file, text).map((p) => `${p.line}:${p.col} ${p.use} ${p.what}`);

describe('clock lint', () => {
  it('flags wall-clock reads, direct and through globalThis', () => {
    const found = uses(
      [
        'const a = Date.now();',
        'const b = new Date();',
        'const c = new Date;',
        'const d = Date();',
        'const e = performance.now();',
        'const f = globalThis.performance.now();',
        'const g = globalThis.Date.now();',
        'const h = process.hrtime.bigint();',
        'const now = Date.now;',
      ].join('\n'),
    );
    expect(found).toEqual([
      '1:11 Date.now Date.now',
      '2:11 new Date() new Date() without arguments',
      '3:11 new Date() new Date() without arguments',
      '4:11 Date() Date() without new',
      '5:11 performance.now performance.now',
      '6:11 performance.now globalThis.performance.now',
      '7:11 Date.now globalThis.Date.now',
      '8:11 process.hrtime process.hrtime',
      '9:13 Date.now Date.now',
    ]);
  });

  it('flags timers called, passed as values, through globalThis, or imported from node:timers', () => {
    const found = uses(
      [
        "import { setTimeout as sleep } from 'node:timers/promises';",
        "import { performance as perf } from 'node:perf_hooks';",
        'setTimeout(() => undefined, 1);',
        'globalThis.setInterval(() => undefined, 1);',
        'await new Promise((resolve) => setImmediate(resolve));',
        'const later = { schedule: setTimeout };',
        'const { a } = { a: setInterval };',
      ].join('\n'),
    );
    expect(found.map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual([
      '1:1 setTimeout',
      '2:1 performance.now',
      '3:1 setTimeout',
      '4:1 setInterval',
      '5:32 setImmediate',
      '6:27 setTimeout',
      '7:20 setInterval',
    ]);
  });

  it('leaves alone dates from a time, the Clock API, types and names that only look like timers', () => {
    const found = uses(
      [
        'const a = new Date(clock.now());',
        'const b = new Date(0).toISOString();',
        'clock.setInterval("tick", 0, 1000, cb);',
        'clock.setTimer("t", 5, cb);',
        'let handle: ReturnType<typeof setTimeout> | undefined;',
        'interface C { setInterval(name: string): void; now(): number }',
        'class K { setInterval(name: string): void {} }',
        'const o = { setInterval: (n: string) => n, now: () => 1 };',
        'const t = bar.now;',
        'const m = Date.UTC(2024, 0, 1) + Date.parse("2024-01-01");',
        "import type { performance as P } from 'node:perf_hooks';",
        'clearTimeout(handle);',
      ].join('\n'),
    );
    expect(found).toEqual([]);
  });

  it('passes on this repository: every use is in a named exception, and every exception is used', () => {
    expect(checkClock(join(import.meta.dirname, '../..'))).toEqual([]);
  });
});
