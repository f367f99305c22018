/**
 * The Datasets view's Import and Export panels, the model import dialog and `rfw import` / `rfw
 * export` start from the same values (issue 14 item 3): each form is built as the app builds it
 * and compared with what the CLI builds with no options but the paths; neither client keeps a
 * default of its own (common/dataset-defaults.ts holds them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetImportDefaults } from '../../../../src-main/common/dataset-defaults';
import { DatasetImportSource } from '../../../../src-main/common/dataset-io-schemas';
import { CliArguments } from '../../../../src-main/shells/cli/cli-arguments';
import { datasetExportRequest } from '../../../../src-main/shells/cli/commands/export-command';
import { importSource, inputRange } from '../../../../src-main/shells/cli/commands/import-command';
import { ExportForm } from '../../../../src-renderer/src/state/dataset-export-state.svelte';
import {
  ImportForm,
  type ImportFormat,
} from '../../../../src-renderer/src/state/dataset-import-state.svelte';
import { ModelImportForm } from '../../../../src-renderer/src/state/model-io-state.svelte';

const cli = (...argv: string[]) => new CliArguments(argv);

/** `rfw import --format` per format of the Import panel, with the paths typed in both. */
const formats: { id: ImportFormat; argv: string[] }[] = [
  { id: 'idx-folder', argv: ['--format', 'idx', '--path', '/data/mnist'] },
  {
    id: 'idx-files',
    argv: ['--format', 'idx-files', '--train-images', '/d/ti', '--train-labels', '/d/tl'],
  },
  { id: 'cifar-10', argv: ['--format', 'cifar-10', '--path', '/data/mnist'] },
  { id: 'cifar-100', argv: ['--format', 'cifar-100', '--path', '/data/mnist'] },
  { id: 'image-folder', argv: ['--format', 'images', '--path', '/data/mnist'] },
  { id: 'synthetic-features', argv: ['--format', 'synthetic'] },
];

function formFor(format: ImportFormat): ImportForm {
  const form = new ImportForm();
  form.format = format;
  form.folder = '/data/mnist';
  form.trainImages = '/d/ti';
  form.trainLabels = '/d/tl';
  return form;
}

describe('dataset defaults: CLI and UI', () => {
  for (const { id, argv } of formats) {
    it(`import ${id} from the same source`, () => {
      const fromCli = importSource(cli(...argv));
      const fromUi = formFor(id).toSource();
      expect(fromCli).toEqual(fromUi);
      // What each sends is what the import runs with: no schema default fills a gap.
      expect(DatasetImportSource.parse(fromCli)).toEqual(fromCli);
    });
  }

  it('resizes image folders to 32×32 in both, unless told not to', () => {
    const images = ['--format', 'images', '--path', '/data/mnist'];
    expect(importSource(cli(...images))).toMatchObject({
      size: { height: 32, width: 32 },
      testFraction: 0.2,
    });
    const kept = formFor('image-folder');
    kept.resize = false;
    expect(importSource(cli(...images, '--no-resize'))).toEqual(kept.toSource());
    expect(() => importSource(cli(...images, '--no-resize', '--size', '64'))).toThrow(
      /--no-resize/,
    );
  });

  it('holds out the same test fraction of synthetic images', () => {
    // The CLI held out 1/6, the panel's visible field 0.2: both now start from 0.2.
    expect(importSource(cli('--format', 'synthetic'))).toMatchObject({
      testFraction: datasetImportDefaults.synthetic.testFraction,
      nonRobust: { amplitude: 4 / 255 },
    });
    expect(datasetImportDefaults.synthetic.testFraction).toBe(
      datasetImportDefaults.imageFolder.testFraction,
    );
  });

  it('exports a dataset with the same format and label type', () => {
    const form = new ExportForm();
    const {
      datasetId: _id,
      folder: _folder,
      ...fromCli
    } = datasetExportRequest(cli('--dataset', '1'));
    expect(fromCli).toEqual({
      format: form.format,
      labelDtype: form.labelDtype,
      withOriginalTest: form.withOriginalTest,
    });
  });

  it('imports a model with the same input range', () => {
    const form = new ModelImportForm();
    expect(inputRange(cli())).toEqual([form.inputLow, form.inputHigh]);
  });

  it('leaves no numeric default literal in either client', () => {
    const files = [
      'src-renderer/src/state/dataset-import-state.svelte.ts',
      'src-renderer/src/state/dataset-export-state.svelte.ts',
      'src-renderer/src/state/model-io-state.svelte.ts',
      'src-main/shells/cli/commands/import-command.ts',
      'src-main/shells/cli/commands/export-command.ts',
    ];
    // A form field initialized with a literal, or an option read with a literal as its fallback.
    const literal =
      /\$state<[^>]+>\(\s*(-?[\d.]|'[^']+')|args\.(number|string)\([^)]*,\s*(-?[\d.][\d_./ ]*|'[^']+')\s*\)/;
    // The formats the panels open on: `rfw import` and `rfw export --model` require --format.
    const ownChoices = [
      /\$state<ImportFormat>\('idx-folder'\)/,
      /\$state<ModelExportFormat>\('npz'\)/,
    ];
    for (const file of files) {
      const found = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => literal.test(line) && !ownChoices.some((own) => own.test(line)));
      expect({ file, found }).toEqual({ file, found: [] });
    }
  });
});
