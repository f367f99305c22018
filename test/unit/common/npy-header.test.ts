import { describe, expect, it } from 'vitest';
import { npyHeaderFields } from '../../../src-main/common/npy-header';

describe('npyHeaderFields', () => {
  it('reads the dtype, the order and the shape tuple, scalars and one-element tuples included', () => {
    expect(
      npyHeaderFields("{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28, 1), }"),
    ).toEqual({ descr: '<f4', fortranOrder: false, shape: [60000, 28, 28, 1] });
    expect(npyHeaderFields("{'descr': '|u1', 'fortran_order': True, 'shape': (3,), }")).toEqual({
      descr: '|u1',
      fortranOrder: true,
      shape: [3],
    });
    expect(
      npyHeaderFields("{'descr': '<i8', 'fortran_order': False, 'shape': (), }").shape,
    ).toEqual([]);
  });

  it('leaves a missing or unreadable field undefined', () => {
    expect(npyHeaderFields("{'fortran_order': maybe, }")).toEqual({
      descr: undefined,
      fortranOrder: undefined,
      shape: undefined,
    });
  });
});
