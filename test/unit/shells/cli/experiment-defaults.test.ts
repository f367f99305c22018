/**
 * The Experiments tab and `rfw experiment TYPE` start every experiment from the same config
 * (issue 12 §23): each form is built as the app builds it and compared with the config the CLI
 * builds with no options, per image kind and norm; neither client keeps a default of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MethodName } from '../../../../src-main/common/contract';
import { experimentDefaults } from '../../../../src-main/common/experiment-defaults';
import type { DatasetSummary } from '../../../../src-main/common/dataset-schemas';
import type { ModelSummary } from '../../../../src-main/common/model-schemas';
import { CliArguments } from '../../../../src-main/shells/cli/cli-arguments';
import {
  experimentConfig,
  type ExperimentSession,
} from '../../../../src-main/shells/cli/commands/experiment-command';
import { DataEfficiencyForm } from '../../../../src-renderer/src/state/experiment-forms/data-efficiency-form.svelte';
import { NonRobustForm } from '../../../../src-renderer/src/state/experiment-forms/non-robust-form.svelte';
import { RobustDatasetsForm } from '../../../../src-renderer/src/state/experiment-forms/robust-datasets-form.svelte';
import { RobustGaussianForm } from '../../../../src-renderer/src/state/experiment-forms/robust-gaussian-form.svelte';
import { TradeoffForm } from '../../../../src-renderer/src/state/experiment-forms/tradeoff-form.svelte';
import { TransferForm } from '../../../../src-renderer/src/state/experiment-forms/transfer-form.svelte';
import { TsiprasForm } from '../../../../src-renderer/src/state/experiment-forms/tsipras-form.svelte';

function dataset(id: number, channels: 1 | 3): DatasetSummary {
  const size = channels === 1 ? 28 : 32;
  return {
    id,
    name: channels === 1 ? 'digits' : 'cifar',
    imageShape: [size, size, channels],
    count: 10_000,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    classCounts: { train: [], test: [] },
    split: { method: 'seeded', seed: 0, train: 8000, test: 2000 },
    source: 'test',
  };
}

const grey = dataset(1, 1);
const colour = dataset(2, 3);

function model(id: number, on: DatasetSummary): ModelSummary {
  return { id, name: `model ${id}`, datasetId: on.id } as ModelSummary;
}

/** The project the CLI reads: two datasets and a robust and a standard model on each. */
const models = [model(1, grey), model(2, grey), model(3, colour), model(4, colour)];

/** The CLI session with its options as typed and the project's lookups answered from memory. */
function session(on: DatasetSummary, ...argv: string[]): ExperimentSession {
  const args = new CliArguments(argv);
  const lists: Partial<Record<MethodName, unknown>> = {
    'datasets.list': [grey, colour],
    'models.list': models,
  };
  return {
    args,
    call: ((method: MethodName) => Promise.resolve(lists[method])) as ExperimentSession['call'],
    dataset: () => Promise.resolve(on),
    datasetId: () => Promise.resolve(on.id),
  };
}

const kinds = [
  { on: grey, models: [1, 2] },
  { on: colour, models: [3, 4] },
] as const;

describe('experiment defaults: CLI and UI', () => {
  it('non-robust features', async () => {
    for (const {
      on,
      models: [source],
    } of kinds) {
      const form = new NonRobustForm();
      form.suitDataset(on);
      const fromCli = await experimentConfig(
        'non-robust-features',
        session(on, '--model', String(source)),
      );
      expect(fromCli).toEqual(form.toConfig(model(source, on)));
    }
  });

  it('robust and non-robust datasets, per norm', async () => {
    for (const {
      on,
      models: [robust, standard],
    } of kinds) {
      for (const norm of ['linf', 'l2'] as const) {
        const form = new RobustDatasetsForm();
        form.chooseRobustModel(robust, on.id, on);
        form.standardModelId = standard;
        form.chooseConstraint(norm);
        const fromCli = await experimentConfig(
          'robust-datasets',
          session(
            on,
            '--robust-model',
            String(robust),
            '--standard-model',
            String(standard),
            '--constraint',
            norm,
          ),
        );
        expect(fromCli).toEqual(form.toConfig());
      }
    }
  });

  it('robust and non-robust datasets, with the norm of the image kind', async () => {
    for (const {
      on,
      models: [robust, standard],
    } of kinds) {
      const form = new RobustDatasetsForm();
      form.chooseRobustModel(robust, on.id, on);
      form.standardModelId = standard;
      const fromCli = await experimentConfig(
        'robust-datasets',
        session(on, '--robust-model', String(robust), '--standard-model', String(standard)),
      );
      expect(fromCli).toEqual(form.toConfig());
    }
  });

  it('the trade-off and data efficiency, per norm and image kind', async () => {
    for (const { on } of kinds) {
      for (const norm of ['linf', 'l2'] as const) {
        for (const [type, form] of [
          ['robustness-tradeoff', new TradeoffForm()],
          ['data-efficiency', new DataEfficiencyForm()],
        ] as const) {
          form.chooseDataset(on);
          form.chooseConstraint(norm);
          const fromCli = await experimentConfig(type, session(on, '--constraint', norm));
          expect(fromCli).toEqual(form.toConfig());
        }
      }
    }
    // With no --constraint, the constraint each form opens on.
    for (const { on } of kinds) {
      for (const [type, form] of [
        ['robustness-tradeoff', new TradeoffForm()],
        ['data-efficiency', new DataEfficiencyForm()],
      ] as const) {
        form.chooseDataset(on);
        expect(await experimentConfig(type, session(on))).toEqual(form.toConfig());
      }
    }
    // The CLI used to keep the L∞ ε under --constraint l2.
    const l2 = await experimentConfig('data-efficiency', session(grey, '--constraint', 'l2'));
    expect(l2['epsilon']).toBe(experimentDefaults.dataEfficiency.epsilon.l2.grey);
  });

  it('transferability, per image kind and constraint', async () => {
    for (const { on, models: ids } of kinds) {
      for (const constraint of ['linf', 'l2', 'unconstrained'] as const) {
        const form = new TransferForm();
        form.chooseDataset(on, () => true);
        for (const id of ids) form.toggleModel(id, true);
        form.attack.chooseConstraint(constraint);
        const fromCli = await experimentConfig(
          'transfer',
          session(on, '--models', ids.join(','), '--constraint', constraint),
        );
        expect(fromCli).toEqual(form.toConfig(models));
      }
    }
    for (const { on, models: ids } of kinds) {
      const form = new TransferForm();
      form.chooseDataset(on, () => true);
      for (const id of ids) form.toggleModel(id, true);
      const fromCli = await experimentConfig('transfer', session(on, '--models', ids.join(',')));
      expect(fromCli).toEqual(form.toConfig(models));
    }
    // The CLI used to attack colour images with the grey images' L∞ ε = 0.3.
    const colourLinf = await experimentConfig('transfer', session(colour, '--models', '3,4'));
    expect(colourLinf['attack']).toMatchObject(
      experimentDefaults.transfer.threatModels.colour.linf,
    );
  });

  it('the Gaussian and toy models', async () => {
    expect(await experimentConfig('robust-gaussian', session(grey))).toEqual(
      new RobustGaussianForm().toConfig(),
    );
    expect(await experimentConfig('tsipras-toy', session(grey))).toEqual(
      new TsiprasForm().toConfig(),
    );
  });

  it('leaves no numeric default literal in either client', () => {
    const forms = 'src-renderer/src/state/experiment-forms';
    const files = [
      'src-main/shells/cli/commands/experiment-command.ts',
      ...readdirSync(forms).map((file) => join(forms, file)),
    ];
    const literal =
      /\$state<number \| null>\(\s*-?[\d.]|(epsilon|stepSize):\s*-?[\d.]|args\.numbers?\([^)]*,\s*-?[[\d.][\d_., ]*\]?\s*\)|\$state\('[\d., ]+'\)/;
    for (const file of files) {
      const found = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => literal.test(line));
      expect({ file, found }).toEqual({ file, found: [] });
    }
  });
});
