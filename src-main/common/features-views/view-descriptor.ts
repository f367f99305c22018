/**
 * One features view, described once for both clients: its config schema, the images it reads,
 * its settings (kinds, defaults, limits, CLI flags; view-options.ts), and the two pure functions
 * between the settings as entered and the config: `config` builds it (the registry validates it
 * against `schema`), `read` takes a recorded one back into the form. The CLI and the lab's form
 * both go through these, and the core reads from a config what it sends the engine and checks
 * against the dataset (`inputs`, `pool`, `classes`, `check`; core/features/features-inputs.ts).
 * The engine's runner and the form's settings fields are the only other per-view parts, each
 * mapped by name on its own side (engine/jobs/run-features-job.ts, the renderer's
 * components/features/settings/view-settings.ts).
 */
import type { z } from 'zod';
import type { OptionSet, OptionValues } from './view-options';

/** Which of the chosen images a view reads. */
export interface ImageUse {
  /** How many of the chosen images the view reads, in order (0: none; generation starts from seeds). */
  limit: number;
  /** Without --images, the CLI takes this many from the start of the test split (0: none). */
  cliDefault: number;
  /** What the image picker adds to its count ("from the first to the second"). */
  hint?: string;
}

/**
 * The dataset images a view searches or fits on besides its chosen ones; the core reads them
 * from the dataset's splits (core/features/features-inputs.ts).
 *  - 'search': the first `limit` images of the test split (of the train split if there is no
 *    test split), e.g. for the most activating images of a unit;
 *  - 'fit': the first FIT_POOL_LIMIT images of the train split (every image if there is no
 *    split), for the class-conditional seed Gaussians.
 */
export type ViewPool = { kind: 'search'; limit: number } | { kind: 'fit' };

/** Enough images for a stable Gaussian fit per class, few enough to send the worker at once. */
export const FIT_POOL_LIMIT = 20_000;

/** What a config is built from: the fields every view has, the chosen images, the settings. */
export interface ViewInput<Values> {
  name: string;
  datasetId: number;
  modelIds: number[];
  seed: number;
  /** Dataset positions in the order chosen (the form passes at most `images.limit`). */
  images: number[];
  options: Values;
}

export interface FeaturesViewDescriptor<
  View extends string,
  Options extends OptionSet,
  Schema extends z.ZodType<{ view: View }>,
> {
  view: View;
  /** How the lab lists it, the paper it follows, what a standard and a robust model show. */
  title: string;
  source: string;
  lookFor: string;
  schema: Schema;
  images: ImageUse;
  /** In the order the CLI's help and the form list them. */
  options: Options;
  /** The config before validation; throws only for what no schema issue can say. */
  config(input: ViewInput<OptionValues<Options>>): z.input<Schema>;
  /** A recorded config's settings, and its images (null: it has none; the form keeps its picks). */
  read(config: z.output<Schema>): { options: OptionValues<Options>; images: number[] | null };
  /** The dataset images the engine receives as inputs, in the order the view's runner reads them. */
  inputs(config: z.output<Schema>): number[];
  /** The images it searches or fits on besides those; null or left out: none. */
  pool?(config: z.output<Schema>): ViewPool | null;
  /** The class labels the config names, each checked against the dataset's classes. */
  classes?(config: z.output<Schema>): number[];
  /**
   * Throws a message for what the config asks that the dataset's images cannot give (or that no
   * schema issue says); the core calls it after the indices and classes are checked.
   */
  check?(config: z.output<Schema>, dataset: { imageShape: readonly number[] }): void;
}

/**
 * Declares a view: `featuresView(Schema)({ … })`. The schema comes first, on its own, so that
 * the descriptor's functions are checked against its concrete types (a literal such as
 * `view: 'saliency'` then keeps its literal type).
 */
export function featuresView<Schema extends z.ZodType<{ view: string }>>(schema: Schema) {
  return <Options extends OptionSet>(
    descriptor: Omit<FeaturesViewDescriptor<z.output<Schema>['view'], Options, Schema>, 'schema'>,
  ): FeaturesViewDescriptor<z.output<Schema>['view'], Options, Schema> => ({
    ...descriptor,
    schema,
  });
}
