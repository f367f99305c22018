/**
 * The features lab's views, one descriptor each (view-descriptor.ts), in the order the lab and
 * the CLI list them. Adding a view: its descriptor file here and one line in `views`; the
 * config union, the view names, both clients' settings and what the core sends the engine
 * follow, and the compiler then asks for its runner (engine/jobs/run-features-job.ts) and its
 * settings fields (the renderer's components/features/settings/view-settings.ts).
 */
import { z } from 'zod';
import { counterfactualView } from './counterfactual';
import { featureVisualizationView } from './feature-visualization';
import { generationView } from './generation';
import { inpaintingView } from './inpainting';
import { interpolationView } from './interpolation';
import { inversionView } from './inversion';
import { saliencyView } from './saliency';
import { superResolutionView } from './super-resolution';
import type { FeaturesViewDescriptor, ViewInput } from './view-descriptor';
import {
  optionDefaults,
  type OptionSet,
  type OptionValues,
  type ViewDataset,
} from './view-options';

const views = [
  saliencyView,
  inversionView,
  interpolationView,
  featureVisualizationView,
  generationView,
  superResolutionView,
  inpaintingView,
  counterfactualView,
] as const;

type AnyView = (typeof views)[number];
type SchemasOf<T extends readonly AnyView[]> = { -readonly [K in keyof T]: T[K]['schema'] };

/** A run's config: one schema per view, joined on `view`. */
export const FeaturesConfig = z.discriminatedUnion(
  'view',
  views.map((view) => view.schema) as SchemasOf<typeof views>,
);
export type FeaturesConfig = z.infer<typeof FeaturesConfig>;
export type FeaturesViewName = AnyView['view'];

/** One view's descriptor, by name. */
export type FeaturesViewOf<V extends FeaturesViewName> = Extract<AnyView, { view: V }>;

/** The descriptors in the order the lab lists them. */
export const featuresViewList: readonly AnyView[] = views;
export const featuresViewNames: readonly FeaturesViewName[] = views.map((view) => view.view);

/** The descriptors by name; a name registered twice is a mistake caught at load. */
export const featuresViews = ((): { [V in FeaturesViewName]: FeaturesViewOf<V> } => {
  const byName: Partial<Record<FeaturesViewName, AnyView>> = {};
  for (const view of views) {
    if (byName[view.view]) throw new Error(`features view "${view.view}" is registered twice`);
    byName[view.view] = view;
  }
  return byName as { [V in FeaturesViewName]: FeaturesViewOf<V> };
})();

/** Each view's settings as the form holds them. */
export type FeaturesViewOptions = {
  [V in FeaturesViewName]: OptionValues<FeaturesViewOf<V>['options']>;
};

/** What `buildFeaturesConfig` reads (any view's settings; the view's name says which). */
export type FeaturesInput = ViewInput<FeaturesViewOptions[FeaturesViewName]>;

/**
 * Any view's descriptor, seen through its functions. (Their parameters are checked per view in
 * each descriptor; here a view's name and its settings arrive together from a client.)
 */
type SomeView = FeaturesViewDescriptor<string, OptionSet, z.ZodType<{ view: string }>>;

/** The descriptor of a config's view, for reading what the config asks of its dataset. */
export function featuresViewOf(config: FeaturesConfig): SomeView {
  return featuresViews[config.view];
}

/**
 * The validated config of `view` from the settings as entered: throws the schema's ZodError
 * (its issues name the fields) or the view's own message.
 */
export function buildFeaturesConfig(view: FeaturesViewName, input: FeaturesInput): FeaturesConfig {
  const descriptor: SomeView = featuresViews[view];
  return FeaturesConfig.parse(descriptor.config(input));
}

/** A recorded config's settings and images (null: the view reads none), for the form. */
export function readFeaturesConfig(config: FeaturesConfig): {
  options: FeaturesViewOptions[FeaturesViewName];
  images: number[] | null;
} {
  const descriptor: SomeView = featuresViews[config.view];
  return descriptor.read(config) as {
    options: FeaturesViewOptions[FeaturesViewName];
    images: number[] | null;
  };
}

/** Every view's settings at their defaults for a dataset. */
export function featuresOptionDefaults(dataset: ViewDataset): FeaturesViewOptions {
  return Object.fromEntries(
    views.map((view) => [view.view, optionDefaults(view.options, dataset)]),
  ) as FeaturesViewOptions;
}

/** The settings with those whose default is read from the dataset reloaded for `dataset`. */
export function reloadDatasetDefaults(
  options: FeaturesViewOptions,
  dataset: ViewDataset,
): FeaturesViewOptions {
  return Object.fromEntries(
    views.map((view) => [
      view.view,
      { ...options[view.view], ...optionDefaults(view.options, dataset, 'dataset') },
    ]),
  ) as FeaturesViewOptions;
}
