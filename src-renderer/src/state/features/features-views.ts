/** The features lab's views as the UI lists them: title, source, and what to look for. */
import type { FeaturesViewName } from '@common/features-schemas';

export interface FeaturesViewKind {
  view: FeaturesViewName;
  title: string;
  source: string;
  /** What a standard and a robust model are expected to show. */
  lookFor: string;
}

export const featuresViewKinds: readonly FeaturesViewKind[] = [
  {
    view: 'saliency',
    title: 'Saliency maps',
    source:
      'Simonyan et al. 2013; Smilkov et al. 2017; Sundararajan et al. 2017; Adebayo et al. 2018',
    lookFor:
      'A robust model’s gradient outlines the object; a standard model’s is speckled noise. The randomization check must change the map.',
  },
  {
    view: 'inversion',
    title: 'Representation inversion',
    source: 'Engstrom et al. 2019, §4.1',
    lookFor:
      'Images with the same representation as the target: for a robust model they look like the target; for a standard one, like the start.',
  },
  {
    view: 'interpolation',
    title: 'Interpolation through representation space',
    source: 'Engstrom et al. 2019, §4.1',
    lookFor: 'A robust model’s frames morph one image into the other; a standard model’s do not.',
  },
  {
    view: 'feature-visualization',
    title: 'Feature visualization and manipulation',
    source: 'Engstrom et al. 2019, §4.2',
    lookFor:
      'The images that excite one representation unit, a synthesized image that maximizes it, and the unit’s pattern added to other images.',
  },
  {
    view: 'generation',
    title: 'Class-conditional generation',
    source: 'Santurkar et al. 2019, §3.1',
    lookFor:
      'From a Gaussian seed of the class, a robust model draws the class; a standard one adds noise.',
  },
  {
    view: 'super-resolution',
    title: 'Super-resolution',
    source: 'Santurkar et al. 2019, §3.3',
    lookFor:
      'The upsampled low-resolution image sharpened towards its class within a small L2 ball.',
  },
  {
    view: 'inpainting',
    title: 'In-painting',
    source: 'Santurkar et al. 2019, §3.4',
    lookFor: 'The painted region filled in by the model’s idea of the class; the rest untouched.',
  },
  {
    view: 'counterfactual',
    title: 'Counterfactual editing',
    source: 'Santurkar et al. 2019, §3.2 (image-to-image translation)',
    lookFor:
      'What would make this image the target class: a robust model’s edit draws it; a standard model flips its prediction with invisible noise.',
  },
];
