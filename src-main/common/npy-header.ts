/**
 * The fields of a .npy header, the ASCII Python dict literal
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28, 1), }
 * (numpy/lib/format.py), as text: each reader checks them against what it supports and says so
 * in its own words. A field that is absent or unreadable is undefined.
 */
export interface NpyHeaderFields {
  /** The dtype string, e.g. '<f4' or '|u1'. */
  descr: string | undefined;
  fortranOrder: boolean | undefined;
  /** The tuple's whole numbers: [] for a scalar's "()", [3] for "(3,)". */
  shape: number[] | undefined;
}

export function npyHeaderFields(header: string): NpyHeaderFields {
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  return {
    descr,
    fortranOrder: fortran === undefined ? undefined : fortran === 'True',
    shape:
      shapeText === undefined
        ? undefined
        : shapeText
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part.length > 0)
            .map(Number),
  };
}
