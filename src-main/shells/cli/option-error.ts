import { describeRange, type NumberRange } from '../../common/number-range';

/** The one-line refusal for a number outside its range: the option, the range, why, the value. */
export function rangeError(option: string, range: NumberRange, got: string): Error {
  const why = range.reason === undefined ? '' : `${range.reason}; `;
  return new Error(`--${option} must be ${describeRange(range)} (${why}got ${got})`);
}
