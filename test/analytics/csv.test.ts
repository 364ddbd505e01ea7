import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField, toCsv } from '../../src/analytics/csv.ts';

/** A small RFC 4180 reader for the round-trip property. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

describe('toCsv', () => {
  it('writes plain fields bare and ends every line with \\n', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [2.5, null]])).toBe('a,b\n1,x\n2.5,\n');
  });
  it('quotes only fields that need it', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('')).toBe('');
  });
  it('writes numbers as given', () => {
    expect(toCsv(['n'], [[0.1 + 0.2], [-0], [1e21], [Number.NaN], [123]])).toBe('n\n0.30000000000000004\n0\n1e+21\nNaN\n123\n');
  });
  it('header only when there are no rows', () => {
    expect(toCsv(['time', 'equity'], [])).toBe('time,equity\n');
  });
  it('round-trips any strings through an RFC 4180 reader', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é') }), { minLength: 2, maxLength: 2 }), { maxLength: 10 }),
        (rows) => {
          const text = toCsv(['c1', 'c2'], rows);
          expect(parseCsv(text)).toEqual([['c1', 'c2'], ...rows]);
        },
      ),
    );
  });
});
