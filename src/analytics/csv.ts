// CSV writing (RFC 4180): a field is quoted only when it holds a comma, a quote, CR or LF.

/** One field: numbers are written as JavaScript prints them, null as an empty field. */
export type CsvField = string | number | null;

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes one field when needed, doubling any quote inside it. */
export function csvField(value: CsvField): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: header line, then one line per row, each ended by `\n`. */
export function toCsv(header: string[], rows: Array<Array<CsvField>>): string {
  const parts: string[] = new Array(rows.length + 1);
  parts[0] = header.map(csvField).join(',');
  rows.forEach((row, i) => {
    parts[i + 1] = row.map(csvField).join(',');
  });
  return parts.join('\n') + '\n';
}
