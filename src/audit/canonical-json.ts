// Canonical JSON: one byte sequence per value, so a hash over it means the same thing on every machine.

/**
 * Keys sorted by UTF-16 code units at every depth, no whitespace, numbers as JavaScript prints them,
 * strings escaped as JSON.stringify does. Object properties that are undefined are left out (as in
 * JSON.stringify); bigints are written as decimal strings; objects with toJSON() are replaced by its
 * result. NaN, Infinity, Maps, Sets, functions, symbols and undefined in arrays or at the top are refused: they
 * have no JSON form, and silently writing null would hash something other than what was meant.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, '$');
  return parts.join('');
}

function write(value: unknown, out: string[], path: string): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is ${value}, which JSON cannot hold`);
      out.push(String(value)); // -0 prints as 0, like JSON.stringify
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(`"${value.toString()}"`);
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON: ${path} is ${typeof value}, which JSON cannot hold`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') {
    write((withJson.toJSON as () => unknown).call(value), out, path);
    return;
  }
  if (value instanceof Map || value instanceof Set) throw new TypeError(`canonical JSON: ${path} is a ${value.constructor.name}; convert it to an object or array first`);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out, `${path}[${i}]`);
    }
    out.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(item, out, `${path}.${key}`);
  }
  out.push('}');
}
