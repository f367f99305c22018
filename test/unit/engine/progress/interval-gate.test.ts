import { describe, expect, it } from 'vitest';
import { IntervalGate } from '../../../../src-main/engine/progress/interval-gate';

describe('IntervalGate', () => {
  it('lets the first event through, then one per interval, and forced ones always', () => {
    let time = 1000;
    const gate = new IntervalGate(100, () => time);
    expect(gate.due()).toBe(true);
    expect(gate.pass()).toBe(true);
    time = 1099;
    expect(gate.due()).toBe(false);
    expect(gate.pass()).toBe(false);
    expect(gate.pass(true)).toBe(true);
    // The forced event restarted the interval at 1099.
    time = 1150;
    expect(gate.pass()).toBe(false);
    time = 1199;
    expect(gate.due()).toBe(true);
    expect(gate.pass()).toBe(true);
  });

  it('does not restart the interval when asked whether an event is due', () => {
    let time = 0;
    const gate = new IntervalGate(10, () => time);
    gate.pass();
    time = 5;
    gate.due();
    time = 10;
    expect(gate.pass()).toBe(true);
  });
});
