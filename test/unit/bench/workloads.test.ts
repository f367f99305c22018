/** The bench's workload table: W1–W4 of issue 3 and W5 of issue 13. */
import { describe, expect, it } from 'vitest';
import { prepareWorkload, SCOUT_DIVISOR, workloads } from '../../../bench/workloads';

describe('bench workloads', () => {
  it('are W1–W5, each with a scout batch of whole images', () => {
    expect(workloads.map((w) => w.name)).toEqual(['W1', 'W2', 'W3', 'W4', 'W5']);
    for (const workload of workloads) {
      expect(Number.isInteger(workload.batch / SCOUT_DIVISOR)).toBe(true);
    }
  });

  it('W5 is PGD-10 on 32 images, counted in example-steps', () => {
    const w5 = workloads.find((w) => w.name === 'W5');
    expect(w5).toMatchObject({ fullUnits: 10, batch: 32, work: 320, rateUnit: 'ex-steps/s' });
  });

  it('W5 without its exported model says why instead of running', () => {
    const w5 = workloads.find((w) => w.name === 'W5');
    if (w5 === undefined) throw new Error('no W5');
    expect(() => prepareWorkload(w5, w5.batch, { skipped: 'no torch' })).toThrow('no torch');
  });
});
