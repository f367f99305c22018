/**
 * View 1, saliency: for each model and image, a heatmap of the chosen class logit's input
 * attribution by the chosen methods (saliency.ts: vanilla gradient, SmoothGrad, integrated
 * gradients), drawn over the image. A robust model's maps follow the digit's strokes; a standard
 * model's are speckled (Engstrom et al. 2019; Tsipras et al. 2019, §4).
 *
 * The model-randomization check (Adebayo et al. 2018, "Sanity checks for saliency maps"): the
 * same maps for a copy of the model with freshly drawn weights. A method whose map barely
 * changes — Spearman rank correlation ρ between the trained and randomized maps above 0.5 —
 * shows the image more than the model, and the result says so as a warning. The full check is
 * saliency-compute.ts and saliency-figure.ts; the paper's cascading form, layer by layer from
 * the logits down, cascading-saliency-compute.ts and cascading-saliency-figure.ts.
 */
import type { SaliencyConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { computeCascadingSaliency } from './cascading-saliency-compute';
import { cascadingSaliencyFigure } from './cascading-saliency-figure';
import { computeSaliency } from './saliency-compute';
import { saliencyFigure } from './saliency-figure';
import { computeThenDraw, type ViewContext } from './view-context';

const runFullCheck = computeThenDraw(computeSaliency, saliencyFigure);
const runCascading = computeThenDraw(computeCascadingSaliency, cascadingSaliencyFigure);

export function runSaliencyView(context: ViewContext, config: SaliencyConfig): FeaturesJobResult {
  const cascading = config.randomizationCheck && config.randomizationMode === 'cascading';
  return (cascading ? runCascading : runFullCheck)(context, config);
}
