/**
 * Class names for imported datasets, and the check that every label has one. Presets are the
 * published names in label order (Fashion-MNIST: Xiao et al. 2017, zalandoresearch/fashion-mnist
 * README; CIFAR-10: batches.meta.txt of the binary release).
 */
import type { ClassNamesChoice } from '../../common/dataset-io-schemas';
import { formatCount } from './dataset-content';

export const fashionMnistClassNames = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export const cifar10ClassNames = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/** '0', '1', …, String(count − 1) */
export function numberedClassNames(count: number): string[] {
  return Array.from({ length: count }, (_, label) => String(label));
}

/**
 * The names for a choice. `numbered` gives `fallback` (names read from the data's own files)
 * when there are any, else one name per label up to the largest label seen.
 */
export function resolveClassNames(
  choice: ClassNamesChoice,
  largestLabel: number,
  fallback: string[] | null,
): string[] {
  switch (choice.kind) {
    case 'fashion-mnist':
      return fashionMnistClassNames;
    case 'cifar-10':
      return cifar10ClassNames;
    case 'custom':
      return choice.names;
    case 'numbered':
      return fallback ?? numberedClassNames(Math.max(1, largestLabel + 1));
  }
}

/** The largest value of a label array (−1 when empty). */
export function largestLabel(labels: ArrayLike<number>): number {
  let largest = -1;
  for (let i = 0; i < labels.length; i += 1) largest = Math.max(largest, labels[i] ?? -1);
  return largest;
}

/**
 * A problem sentence when some label of `labels` (read from `where`) has no class, else null:
 * "label 12 at record 345 of train-labels-idx1-ubyte is out of range: 10 classes (0–9); 3
 * labels are".
 */
export function labelRangeProblem(
  labels: ArrayLike<number>,
  classCount: number,
  where: string,
): string | null {
  let first = -1;
  let bad = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i] ?? -1;
    if (label < 0 || label >= classCount) {
      if (first < 0) first = i;
      bad += 1;
    }
  }
  if (first < 0) return null;
  return (
    `label ${labels[first]} at record ${formatCount(first)} of ${where} is out of range: ` +
    `there are ${classCount} classes (labels 0–${classCount - 1}); ${formatCount(bad)} label${bad === 1 ? '' : 's'} out of range in all`
  );
}

/**
 * For numbered classes, whose count comes from the largest label: a problem sentence when some
 * class below the largest label has no image at all (labels 0–9 and one 200 would otherwise make
 * 201 classes, 190 of them empty), else null. It names the first label past the first gap.
 */
export function unusedClassProblem(
  labelSets: { labels: ArrayLike<number>; where: string }[],
  classCount: number,
): string | null {
  const used = new Uint8Array(classCount);
  for (const { labels } of labelSets) {
    for (let i = 0; i < labels.length; i += 1) used[labels[i] ?? 0] = 1;
  }
  const gap = used.indexOf(0);
  if (gap < 0) return null;
  const empty = used.reduce((sum, flag) => sum + (flag === 0 ? 1 : 0), 0);
  for (const { labels, where } of labelSets) {
    for (let i = 0; i < labels.length; i += 1) {
      const label = labels[i] ?? 0;
      if (label <= gap) continue;
      const allowed = gap === 0 ? 'labels must start at 0' : `labels 0–${gap - 1} have images`;
      return (
        `label ${label} at record ${formatCount(i)} of ${where} is out of range: numbered classes ` +
        `need an image each, ${allowed}, and ${formatCount(empty)} class${empty === 1 ? '' : 'es'} ` +
        `below ${classCount - 1} (the first: ${gap}) would have none; give class names to keep these labels`
      );
    }
  }
  return null;
}
