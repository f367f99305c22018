import { describe, expect, it } from 'vitest';
import { describeIssues, events, methods } from '../../../src-main/common/contract';
import { AttackConfig } from '../../../src-main/common/attack-schemas';
import { TrainingConfig } from '../../../src-main/common/training-schemas';

const attack = {
  modelId: 1,
  datasetId: 1,
  indices: [0, 1, 2],
  method: 'pgd',
  perturbation: { constraint: 'linf', epsilon: 0.3, steps: 40, stepSize: 0.01, randomStart: true },
  restarts: 1,
  targetClass: null,
  seed: 0,
};

function messageFor(schema: typeof AttackConfig | typeof TrainingConfig, value: unknown): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to be refused');
  return describeIssues(parsed.error);
}

describe('contract', () => {
  it('gives every method an input and an output schema, and every event a schema', () => {
    for (const [name, method] of Object.entries(methods)) {
      expect(typeof method.input.safeParse, name).toBe('function');
      expect(typeof method.output.safeParse, name).toBe('function');
    }
    expect(Object.keys(events)).toContain('job.progress');
  });

  it('accepts a valid attack configuration', () => {
    expect(AttackConfig.parse(attack)).toEqual(attack);
  });

  it.each([
    [{ epsilon: -0.1 }, 'ε must be greater than 0 (perturbation.epsilon)'],
    [{ epsilon: Number.NaN }, 'ε must be a finite number (got NaN) (perturbation.epsilon)'],
    [{ steps: 0 }, 'steps must be at least 1 (perturbation.steps)'],
    [{ stepSize: 0 }, 'step size must be greater than 0 (perturbation.stepSize)'],
  ])('refuses the perturbation %j with a clear message', (change, message) => {
    const value = { ...attack, perturbation: { ...attack.perturbation, ...change } };
    expect(messageFor(AttackConfig, value)).toContain(message);
  });

  it('refuses negative image indices and an empty selection', () => {
    expect(messageFor(AttackConfig, { ...attack, indices: [-1] })).toContain(
      'an image index cannot be negative',
    );
    expect(messageFor(AttackConfig, { ...attack, indices: [] })).toContain(
      'choose at least one image',
    );
  });

  it('refuses unknown keys in method inputs (strict schemas)', () => {
    const parsed = methods['projects.open'].input.safeParse({ path: '/x.rfw', extra: 1 });
    expect(parsed.success).toBe(false);
  });

  it('refuses a training configuration with zero epochs or a NaN learning rate', () => {
    const training = {
      datasetId: 1,
      modelName: 'm',
      architecture: 'small-cnn',
      epochs: 0,
      batchSize: 64,
      learningRate: Number.NaN,
      optimizer: 'adam',
      seed: 0,
      trainLimit: null,
      adversarial: null,
    };
    const message = messageFor(TrainingConfig, training);
    expect(message).toContain('epochs must be at least 1');
    expect(message).toContain('learning rate must be a finite number (got NaN)');
  });
});
