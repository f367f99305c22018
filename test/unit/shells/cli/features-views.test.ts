/**
 * The CLI and the features lab's form build a view's config through the same descriptor
 * (common/features-views/): for every registered view they start from the same defaults, on an
 * MNIST-shaped and a CIFAR-shaped dataset, and they build equal configs from the same inputs,
 * each setting moved off its default in turn (a flag on one side, the form's field on the other).
 * A recorded config loads back into the form unchanged.
 */
import { describe, expect, it } from 'vitest';
import {
  featuresViewList,
  featuresViewNames,
  featuresViews,
  type FeaturesConfig,
  type FeaturesViewName,
} from '../../../../src-main/common/features-views/registry';
import {
  forDataset,
  type FeaturesOption,
  type ViewDataset,
} from '../../../../src-main/common/features-views/view-options';
import { inRange } from '../../../../src-main/common/number-range';
import type { DatasetSummary } from '../../../../src-main/common/dataset-schemas';
import { CliArguments } from '../../../../src-main/shells/cli/cli-arguments';
import { featuresConfig } from '../../../../src-main/shells/cli/commands/features-command';
import { FeaturesForm } from '../../../../src-renderer/src/state/features/features-form.svelte';

function dataset(id: number, imageShape: [number, number, number]): DatasetSummary {
  return {
    id,
    name: `d${id}`,
    imageShape,
    count: 10_000,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    classCounts: { train: [], test: [] },
    split: { method: 'seeded', seed: 0, train: 8000, test: 2000 },
    source: 'test',
  };
}
const mnist = dataset(1, [28, 28, 1]);
const cifar = dataset(2, [32, 32, 3]);
const viewDataset = (d: DatasetSummary): ViewDataset => ({
  imageShape: d.imageShape,
  classCount: d.classNames.length,
});

/** The form with a dataset, one model, the view and these picks. */
function formFor(view: FeaturesViewName, on: DatasetSummary): FeaturesForm {
  const form = new FeaturesForm();
  form.chooseDataset(on);
  form.modelA = 7;
  form.view = view;
  form.name = 'same name';
  form.picked = [3, 5, 8, 13, 21, 34, 55, 89, 144];
  return form;
}

/** Flags as typed: `--flag value`, or `--flag` alone for a switch (null). */
type Flags = Map<string, string | null>;

/** The CLI's config for the same view, images and name, with `flags` as typed. */
function cliFor(form: FeaturesForm, on: DatasetSummary, flags: Flags): FeaturesConfig {
  const argv = ['--name', 'same name'];
  for (const [flag, text] of flags) argv.push(`--${flag}`, ...(text === null ? [] : [text]));
  const args = new CliArguments(argv);
  const config = featuresConfig(args, form.view, on, { modelIds: [7], images: form.usedPicks });
  args.rejectUnknown();
  return config;
}

/** Flags the CLI cannot run without (counterfactual's --target), at the form's values. */
function requiredFlags(view: FeaturesViewName, form: FeaturesForm): Flags {
  const values = form.options[view] as Record<string, unknown>;
  const flags: Flags = new Map();
  for (const [key, option] of Object.entries(optionsOf(view))) {
    if (option.cli?.required) flags.set(option.cli.flag, String(values[key] as number));
  }
  return flags;
}

function optionsOf(view: FeaturesViewName): Record<string, FeaturesOption> {
  return featuresViews[view].options;
}

/** A valid value other than `value`, and its flag as typed (null: the setting has no flag). */
function moved(
  option: FeaturesOption,
  value: unknown,
  on: ViewDataset,
): { value: unknown; flag: string; text: string | null } | null {
  if (option.cli === null) return null;
  const flag = option.cli.flag;
  switch (option.kind) {
    case 'number': {
      const range = forDataset(option.range, on);
      const number = value as number;
      const next = [number + 1, number - 1, number / 2].find(
        (candidate) => inRange(candidate, range) && (range.integer || candidate < number),
      );
      if (next === undefined) throw new Error(`no other value for --${flag}`);
      return { value: next, flag, text: String(next) };
    }
    case 'numbers': {
      const list = (value as number[]).slice(1, 3);
      return { value: list, flag, text: list.join(',') };
    }
    case 'choice': {
      const other = option.choices.find((choice) => choice !== value) as string;
      return { value: other, flag, text: other };
    }
    case 'choices': {
      const list = (value as string[]).slice(0, 1);
      return { value: list, flag, text: list.join(',') };
    }
    case 'switch':
      return { value: !(value as boolean), flag, text: null };
    case 'mask':
      return null;
  }
}

describe('features views: CLI and lab form', () => {
  for (const on of [mnist, cifar]) {
    it(`start from the same defaults for every view (${on.imageShape.join('×')})`, () => {
      for (const view of featuresViewNames) {
        const form = formFor(view, on);
        const fromForm = form.toConfig();
        expect({ view, config: cliFor(form, on, requiredFlags(view, form)) }).toEqual({
          view,
          config: fromForm,
        });
      }
    });
  }

  it('build equal configs from the same inputs, each setting moved in turn', () => {
    let moves = 0;
    for (const view of featuresViewNames) {
      for (const [key, option] of Object.entries(optionsOf(view))) {
        const form = formFor(view, mnist);
        const values = form.options[view] as Record<string, unknown>;
        const change = moved(option, values[key], viewDataset(mnist));
        if (change === null) continue;
        const before = form.toConfig();
        values[key] = change.value;
        const flags = requiredFlags(view, form).set(change.flag, change.text);
        const fromForm = form.toConfig();
        expect(fromForm).not.toEqual(before);
        expect({ view, key, config: cliFor(form, mnist, flags) }).toEqual({
          view,
          key,
          config: fromForm,
        });
        moves += 1;
      }
    }
    // Every flag of every view was moved (the in-painting mask has none: it is painted).
    const flags = featuresViewList.flatMap((view) =>
      Object.values(view.options as Record<string, FeaturesOption>).filter(
        (option) => option.cli !== null,
      ),
    );
    expect(moves).toBe(flags.length);
  });

  it('load a recorded config back into the form unchanged', () => {
    for (const view of featuresViewNames) {
      const form = formFor(view, mnist);
      const values = form.options[view] as Record<string, unknown>;
      for (const [key, option] of Object.entries(optionsOf(view))) {
        const change = moved(option, values[key], viewDataset(mnist));
        if (change !== null) values[key] = change.value;
      }
      const recorded = form.toConfig();
      const other = formFor(view === 'saliency' ? 'inversion' : 'saliency', mnist);
      other.picked = [];
      other.load(recorded, mnist);
      other.name = recorded.name;
      expect(other.view).toBe(view);
      expect(other.toConfig()).toEqual(recorded);
    }
  });

  it('reload the dataset-scaled settings on another dataset and keep the others as typed', () => {
    const form = formFor('saliency', mnist);
    form.options.saliency.explain = 'predicted';
    form.options.counterfactual.stepSize = 0.5;
    form.chooseDataset(cifar);
    expect(form.options.saliency.explain).toBe('predicted');
    // 0.14 = the papers' step scaled to 32×32×3 (features-defaults.ts).
    expect(form.options.counterfactual.stepSize).toBe(0.14);
    expect(form.options.inpainting.mask).toHaveLength(32 * 32);
  });

  it('refuse a bad setting with the schema’s issue at its field, on both sides', () => {
    const form = formFor('saliency', mnist);
    form.options.saliency.smoothGradSamples = null;
    expect(() => form.toConfig()).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ path: ['smoothGradSamples'] })],
      }),
    );
    const sideways: Flags = new Map([['methods', 'gradient,sideways']]);
    expect(() => cliFor(form, mnist, sideways)).toThrow(/\(methods\.1\)$/);
    const interpolation = formFor('interpolation', mnist);
    interpolation.picked = [4];
    expect(() => interpolation.toConfig()).toThrow('choose two images to interpolate between');
    expect(() => cliFor(interpolation, mnist, new Map())).toThrow('choose two images');
  });
});
