/**
 * Default settings of the features-lab views for a dataset's image shape: the papers' values
 * (Engstrom et al. 2019 and Santurkar et al. 2019 on CIFAR-10, 32×32×3; Smilkov et al. 2017;
 * Sundararajan et al. 2017), scaled to the image size. L2 lengths scale with √d, d = H·W·C: a
 * perturbation spread evenly over the pixels has ‖δ‖₂ = |δ_i|·√d, so the same per-pixel change
 * needs a radius √(d/d_ref) times the reference one.
 */

/** d of CIFAR-10 images, the size the papers' radii and step sizes were chosen for. */
const CIFAR_DIMENSION = 32 * 32 * 3;

export interface FeaturesDefaults {
  saliency: {
    smoothGradSamples: number;
    smoothGradNoise: number;
    integratedGradientsSteps: number;
  };
  /** Inversion and interpolation: normalized L2 steps towards a target representation. */
  inversion: { steps: number; stepSize: number };
  featureVisualization: {
    topK: number;
    searchLimit: number;
    steps: number;
    stepSize: number;
    strength: number;
  };
  generation: { epsilon: number; steps: number; stepSize: number; seedDownsample: number };
  superResolution: { factor: number; epsilon: number; steps: number; stepSize: number };
  inpainting: { steps: number; stepSize: number };
  counterfactual: { epsilon: number; steps: number; stepSize: number };
}

/** Rounds to 2 significant digits, so the form shows 0.51 rather than 0.5051814855409226. */
function tidy(value: number): number {
  return Number(value.toPrecision(2));
}

/** The largest of 4, 3, 2 that divides both sides (1 when none does). */
function downsampleFactor(height: number, width: number): number {
  return [4, 3, 2].find((f) => height % f === 0 && width % f === 0) ?? 1;
}

export function featuresDefaults(imageShape: readonly number[]): FeaturesDefaults {
  const [height = 28, width = 28, channels = 1] = imageShape;
  const scale = Math.sqrt((height * width * channels) / CIFAR_DIMENSION);
  const factor = downsampleFactor(height, width);
  return {
    // SmoothGrad: 50 samples at 15% noise (the paper's 10–20%); IG: 50 Riemann steps.
    saliency: { smoothGradSamples: 50, smoothGradNoise: 0.15, integratedGradientsSteps: 50 },
    // Representation inversion: CIFAR step 0.2 (≈ 0.1 on MNIST); 500 steps reach a plateau
    // on the workbench's models (the robustness library runs thousands at ImageNet size).
    inversion: { steps: 500, stepSize: tidy(0.2 * scale) },
    featureVisualization: {
      topK: 8,
      searchLimit: 2000,
      steps: 200,
      stepSize: tidy(0.2 * scale),
      // "Add feature k": an L2 budget of 4 on CIFAR (2 on MNIST), visibly more than an
      // adversarial perturbation (ε ≈ 0.5 on CIFAR) and less than a new image.
      strength: tidy(4 * scale),
    },
    // Santurkar et al., CIFAR generation: ε = 30, step 0.5, 60 steps, seed Gaussians fitted on
    // images downsampled 4×.
    generation: {
      epsilon: tidy(30 * scale),
      steps: 60,
      stepSize: tidy(0.5 * scale),
      seedDownsample: factor,
    },
    superResolution: {
      factor: Math.max(2, factor),
      epsilon: tidy(10 * scale),
      steps: 60,
      stepSize: tidy(0.5 * scale),
    },
    inpainting: { steps: 60, stepSize: tidy(0.5 * scale) },
    // Counterfactuals (the paper's image-to-image translation): ε = 60 at ImageNet's 224²·3,
    // i.e. ≈ 8.6 at CIFAR size; 80 steps.
    counterfactual: { epsilon: tidy(8.6 * scale), steps: 80, stepSize: tidy(0.5 * scale) },
  };
}
