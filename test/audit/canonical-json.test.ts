// Canonical JSON: one text per value, whatever the key order or the platform.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/index.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('writes numbers as JavaScript prints them', () => {
    expect(canonicalJson([0, -0, 1.5, 1e21, 1e-7, 0.1 + 0.2, -42, 2 ** 53])).toBe('[0,0,1.5,1e+21,1e-7,0.30000000000000004,-42,9007199254740992]');
  });

  it('escapes strings as JSON.stringify does, keys included', () => {
    expect(canonicalJson({ 'k"\n': 'tab\there "quoted" \\ \u0001 é 😀' })).toBe('{"k\\"\\n":"tab\\there \\"quoted\\" \\\\ \\u0001 é 😀"}');
  });

  it('orders keys by UTF-16 code units, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, a: 4, _: 5 })).toBe('{"B":2,"_":5,"a":4,"b":1,"é":3}');
  });

  it('leaves out undefined properties, writes bigints as decimal strings and uses toJSON', () => {
    expect(canonicalJson({ a: undefined, b: 12345678901234567890n, c: new Date(0) })).toBe('{"b":"12345678901234567890","c":"1970-01-01T00:00:00.000Z"}');
  });

  it('refuses values JSON cannot hold instead of writing null', () => {
    expect(() => canonicalJson({ equity: Number.NaN })).toThrow(/\$\.equity is NaN/);
    expect(() => canonicalJson([1, Infinity])).toThrow(/\$\[1\] is Infinity/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson({ m: new Map() })).toThrow(/Map/);
  });

  it('gives the same text whatever the key order, parses back to the value, and is a fixed point', () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reversed) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.keys(value).reverse().map((k) => [k, reversed((value as Record<string, unknown>)[k])])) : value;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        // JSON has no -0: compare with the value as JSON itself carries it (-0 becomes 0).
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reversed(value)), 'key order does not matter').toBe(text);
        expect(canonicalJson(JSON.parse(text)), 'canonical text is a fixed point').toBe(text);
      }),
    );
  });
});
