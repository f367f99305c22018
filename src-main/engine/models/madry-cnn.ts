/**
 * The MNIST network of Madry et al. 2018 ("Towards Deep Learning Models Resistant to Adversarial
 * Attacks", MNIST challenge): ~3.3M parameters on 28×28×1.
 */
import { convNetArchitecture } from './conv-net-architecture';

export const madryCnn = convNetArchitecture({
  name: 'madry-cnn',
  description: 'conv 5×5×32 → pool → conv 5×5×64 → pool → dense 1024 → classes',
  kernel: 5,
  channels: [32, 64],
  hidden: 1024,
});
