import { inRange, type NumberRange } from '../../common/number-range';
import { rangeError } from './option-error';

/**
 * "0,0.1, 0.2" → numbers, for list options (--epsilons, --models, --images, …); a token that is
 * not a number, or not in the range, is named.
 */
export function numberList(text: string, option: string, range: NumberRange): number[] {
  const values = text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const token = part.trim();
      const value = Number(token);
      if (Number.isNaN(value)) throw new Error(`--${option}: "${token}" is not a number`);
      if (!inRange(value, range)) throw rangeError(option, range, token);
      return value;
    });
  if (values.length === 0) throw new Error(`--${option} needs at least one value`);
  return values;
}
