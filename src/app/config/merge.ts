// Deep merge of configuration layers, remembering which layer set each value.

export type PlainObject = Record<string, unknown>;

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Sets an own property even for names such as "__proto__" (which then fails validation as an unknown key). */
export function setOwn(target: PlainObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Path -> layer that set the value there, keyed by the JSON of the path segments. */
export class SourceMap {
  private readonly byPath = new Map<string, { source: string; leaf: boolean }>();

  set(path: readonly string[], source: string, value: unknown): void {
    this.byPath.set(JSON.stringify(path), { source, leaf: !isPlainObject(value) });
  }

  /**
   * The layer that set `path`; below a scalar or array (e.g. an element of a replaced list), the layer that
   * set that. Values nobody set (defaults) have no source.
   */
  lookup(path: readonly PropertyKey[]): string | undefined {
    const segs = path.map(String);
    const exact = this.byPath.get(JSON.stringify(segs));
    if (exact !== undefined) return exact.source;
    for (let n = segs.length - 1; n > 0; n--) {
      const hit = this.byPath.get(JSON.stringify(segs.slice(0, n)));
      if (hit?.leaf) return hit.source;
    }
    return undefined;
  }
}

function recordAll(value: unknown, path: string[], source: string, sources: SourceMap): void {
  sources.set(path, source, value);
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) recordAll(child, [...path, key], source, sources);
  }
}

function cloneDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneDeep);
  if (isPlainObject(value)) {
    const out: PlainObject = {};
    for (const [key, child] of Object.entries(value)) if (child !== undefined) setOwn(out, key, cloneDeep(child));
    return out;
  }
  return value;
}

/**
 * Merges `layer` into `target` in place: objects merge key by key, arrays and scalars replace,
 * `undefined` leaves the lower layer's value alone. Every value taken from `layer` is recorded in `sources`.
 */
export function mergeInto(target: PlainObject, layer: PlainObject, source: string, sources: SourceMap, path: string[] = []): void {
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const here = [...path, key];
    const existing = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
    if (isPlainObject(value) && isPlainObject(existing)) {
      mergeInto(existing, value, source, sources, here);
    } else {
      setOwn(target, key, cloneDeep(value));
      recordAll(value, here, source, sources);
    }
  }
}
