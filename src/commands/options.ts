// Parsers for numeric options. Each names its option in the error, as in
// "--concurrency must be 1 or more, got 0", and the error exits 2.
import { UsageError } from '../pipeline/errors.js';

const HELP = 'see `sparkify <command> --help` for the options';

/** A whole number of at least `min`. */
export function wholeNumber(flag: string, min = 0): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(value)}`, HELP);
    if (n < min) throw new UsageError(`${flag} must be ${min} or more, got ${value}`, HELP);
    return n;
  };
}

/** A number above zero, fractions allowed. */
export function positiveNumber(flag: string, unit = ''): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number${unit}, got ${JSON.stringify(value)}`, HELP);
    if (n <= 0) throw new UsageError(`${flag} must be more than 0${unit}, got ${value}`, HELP);
    return n;
  };
}
