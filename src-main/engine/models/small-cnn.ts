/** A small, fast CNN for interactive work: ~200k parameters on 28×28×1. */
import { convNetArchitecture } from './conv-net-architecture';

export const smallCnn = convNetArchitecture({
  name: 'small-cnn',
  description: 'conv 3×3×16 → pool → conv 3×3×32 → pool → dense 128 → classes',
  kernel: 3,
  channels: [16, 32],
  hidden: 128,
});
