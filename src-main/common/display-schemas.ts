/**
 * How a run's figures are drawn, saved with the run so that a project reopens as it was left:
 * for saliency heatmaps, the colormap (d3-scale-chromatic's sequential schemes) and the opacity α
 * of the map over its image (out = (1 − α)·image + α·colormap(map), src-renderer/src/lib/heatmap.ts).
 */
import { z } from 'zod';
import { Id } from './reference-schemas';

export const colormapNames = ['inferno', 'viridis', 'magma', 'cividis', 'turbo'] as const;
export const ColormapName = z.enum(colormapNames);
export type ColormapName = z.infer<typeof ColormapName>;

export const RunDisplay = z
  .object({
    colormap: ColormapName,
    opacity: z
      .number({ error: 'the opacity must be a number' })
      .min(0, { message: 'the opacity must lie in [0, 1]' })
      .max(1, { message: 'the opacity must lie in [0, 1]' }),
  })
  .strict();
export type RunDisplay = z.infer<typeof RunDisplay>;

/** What a run is drawn with before anyone changes it. */
export const defaultRunDisplay: RunDisplay = { colormap: 'inferno', opacity: 0.6 };

export const RunDisplayUpdate = z.object({ runId: Id, display: RunDisplay }).strict();
export type RunDisplayUpdate = z.infer<typeof RunDisplayUpdate>;
