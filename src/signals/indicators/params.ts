// Parameter checks shared by the streaming indicators. Each check throws a RangeError whose
// message starts with the parameter's name, so callers (and tests) can tell which one was bad.

/** Throws a RangeError unless `value` is an integer >= 1. */
export function checkPeriod(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${String(value)}`);
  }
}

/** Throws a RangeError unless `value` is a finite number >= 0. */
export function checkNonNegative(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
}
