/** "0,0.1, 0.2" → numbers, for list options (--epsilons, --models, --images, …); a token that is not a number is named. */
export function numberList(text: string, option: string): number[] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const value = Number(part.trim());
      if (Number.isNaN(value)) throw new Error(`--${option}: "${part.trim()}" is not a number`);
      return value;
    });
}
