/**
 * Default settings of the features-lab views for a dataset's image shape: the papers' values,
 * scaled to the image size, so that every view is recorded with the settings it ran with and
 * starts from something that works on MNIST as on CIFAR-like images.
 *
 * Scaling: an L2 length over d = H·W·C values grows like √d for a change of a given size per
 * pixel (RMS s per pixel ⇒ ‖δ‖₂ = s·√d), so radii and step sizes are multiplied by √(d / d_ref)
 * for the size d_ref the values were chosen at; step counts are kept.
 *
 * Synthesis (Santurkar et al. 2019, the MadryLab robustness_applications notebooks, 224×224×3
 * Restricted ImageNet, κ = √(d / 150528): MNIST 0.072, 32×32×3 0.143):
 *                      ImageNet (ε, α, T)   MNIST (ε, α)    32×32×3 (ε, α)
 *   generation         40, 1, 60            2.9, 0.072      5.7, 0.14
 *   super-resolution   8, 1, 40             0.58, 0.072     1.1, 0.14
 *   in-painting        —, 0.1, 720          —, 0.0072       —, 0.014
 *   counterfactual     60, 1, 80            4.3, 0.072      8.6, 0.14
 * Super-resolution and in-painting are read from superresolution.ipynb and inpainting.ipynb;
 * generation's (eps 40, step 1, 60 iterations) are quoted from generation.ipynb as published.
 * Counterfactuals are the paper's image-to-image translation, a longer targeted ascent from a
 * real image; in-painting has no ε, it changes only the masked pixels (synthesize.ts).
 *
 * Inversion and feature maximization (Engstrom et al. 2019): step 0.1 at MNIST's d = 784 (0.2 at
 * CIFAR size), 500 steps for inversion, which reach a plateau on the workbench's models
 * (measured: the relative distance stops falling); 200 for feature maximization. "Add feature
 * k" gets an L2 budget of 2 at MNIST size: more than an adversarial perturbation, less than a
 * new image. Saliency: SmoothGrad's 50 samples at 15% noise (the paper's 10–20%), integrated
 * gradients' 50 steps.
 */

/** What every features run starts from, whatever its view: the lab form's and `rfw features`'. */
export const featuresRunDefaults = { seed: 0 } as const;

const IMAGENET_DIMENSION = 224 * 224 * 3;
const MNIST_DIMENSION = 28 * 28;

export interface StepDefaults {
  steps: number;
  stepSize: number;
}

export interface FeaturesDefaults {
  saliency: {
    smoothGradSamples: number;
    smoothGradNoise: number;
    integratedGradientsSteps: number;
  };
  /** Inversion and interpolation. */
  inversion: StepDefaults;
  featureVisualization: StepDefaults & { topK: number; searchLimit: number; strength: number };
  generation: StepDefaults & { epsilon: number; seedDownsample: number };
  superResolution: StepDefaults & { epsilon: number; factor: number };
  inpainting: StepDefaults;
  counterfactual: StepDefaults & { epsilon: number };
}

/** Rounds to 2 significant digits, so the form shows 0.072 rather than 0.07216878364870323. */
function tidy(value: number): number {
  return Number(value.toPrecision(2));
}

/** 4 where it divides both sides and leaves ≥ 7 pixels (MNIST 7×7, 32×32 → 8×8), else 2. */
function resampleFactor(height: number, width: number): number {
  return [4, 2].find((f) => height % f === 0 && width % f === 0 && height / f >= 7) ?? 2;
}

export function featuresDefaults(imageShape: readonly number[]): FeaturesDefaults {
  const [height = 28, width = 28, channels = 1] = imageShape;
  const d = height * width * channels;
  const kappa = Math.sqrt(d / IMAGENET_DIMENSION);
  const mnistScale = Math.sqrt(d / MNIST_DIMENSION);
  const factor = resampleFactor(height, width);
  return {
    saliency: { smoothGradSamples: 50, smoothGradNoise: 0.15, integratedGradientsSteps: 50 },
    inversion: { steps: 500, stepSize: tidy(0.1 * mnistScale) },
    featureVisualization: {
      topK: 8,
      searchLimit: 2000,
      steps: 200,
      stepSize: tidy(0.1 * mnistScale),
      strength: tidy(2 * mnistScale),
    },
    generation: {
      epsilon: tidy(40 * kappa),
      stepSize: tidy(kappa),
      steps: 60,
      seedDownsample: factor,
    },
    superResolution: { epsilon: tidy(8 * kappa), stepSize: tidy(kappa), steps: 40, factor },
    inpainting: { stepSize: tidy(0.1 * kappa), steps: 720 },
    counterfactual: { epsilon: tidy(60 * kappa), stepSize: tidy(kappa), steps: 80 },
  };
}
