import { describe, expect, it } from 'vitest';
import { featuresDefaults } from '../../../src-main/common/features-defaults';

describe('features-lab defaults', () => {
  it('scales L2 lengths with √(H·W·C) and keeps step counts', () => {
    const mnist = featuresDefaults([28, 28, 1]);
    const cifar = featuresDefaults([32, 32, 3]);
    // κ = √(d / 224²·3): 0.072 for MNIST, 0.14 for 32×32×3.
    expect(mnist.generation).toEqual({
      epsilon: 2.9,
      stepSize: 0.072,
      steps: 60,
      seedDownsample: 4,
    });
    expect(cifar.generation.epsilon).toBe(5.7);
    expect(cifar.counterfactual.epsilon / mnist.counterfactual.epsilon).toBeCloseTo(
      Math.sqrt(3072 / 784),
      1,
    );
    expect(mnist.inversion).toEqual({ steps: 500, stepSize: 0.1 });
    expect(cifar.inversion.stepSize).toBe(0.2);
    expect(mnist.superResolution.factor).toBe(4);
    expect(featuresDefaults([30, 30, 3]).superResolution.factor).toBe(2);
    expect(cifar.inpainting.steps).toBe(720);
  });
});
