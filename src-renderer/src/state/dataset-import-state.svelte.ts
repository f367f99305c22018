/**
 * The Import panel of the Datasets view: the form (format, paths typed by the person — the
 * browser shell cannot open native file dialogs — class names and image options), the preview
 * of what the files hold, and the import task.
 *
 * Import is offered only for the form as it was previewed and found without problems.
 */
import type { MethodInput, WorkbenchApi } from '@common/contract';
import { datasetImportDefaults } from '@common/dataset-defaults';
import type { ClassNamesChoice, DatasetImportPreview } from '@common/dataset-io-schemas';
import { DatasetTask } from './dataset-task.svelte';
import { FieldErrors } from './field-errors.svelte';
import type { ErrorState } from './error-state.svelte';

/** An import source as the renderer sends it (fields with defaults may be left out). */
export type MethodInputSource = MethodInput<'datasets.previewImport'>;
export type ImportFormat = MethodInputSource['format'];
export type ClassKind = ClassNamesChoice['kind'];

export const importFormats: readonly { id: ImportFormat; label: string; hint: string }[] = [
  {
    id: 'idx-folder',
    label: 'MNIST / Fashion-MNIST folder (IDX)',
    hint: 'a folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] and optionally the t10k-… pair',
  },
  {
    id: 'idx-files',
    label: 'MNIST / Fashion-MNIST files (IDX)',
    hint: 'the path of each IDX file, plain or .gz; the test pair is optional',
  },
  {
    id: 'cifar-10',
    label: 'CIFAR-10 binary batches',
    hint: 'a folder with data_batch_1.bin … data_batch_5.bin and test_batch.bin (or the cifar-10-batches-bin folder around them)',
  },
  {
    id: 'cifar-100',
    label: 'CIFAR-100 binary batches',
    hint: 'a folder with train.bin and test.bin (or the cifar-100-binary folder around them)',
  },
  {
    id: 'image-folder',
    label: 'Folders of PNG/JPEG images',
    hint: 'a folder with one sub-folder per class, optionally inside train/ and test/ folders',
  },
  {
    id: 'synthetic-features',
    label: 'Synthetic robust / non-robust features',
    hint: 'generated, no files: a large shape and a faint pattern each carry the label',
  },
];

const { imageFolder: folderDefaults, synthetic: syntheticDefaults } = datasetImportDefaults;

/**
 * The synthetic generator's fields (engine/data/synthetic-features.ts); the defaults are its
 * own (common/dataset-defaults.ts): 12,000 32×32×3 images, the shape 85% predictive, the faint
 * pattern (δ = 4/255) always.
 */
export class SyntheticForm {
  count = $state<number | null>(syntheticDefaults.count);
  numClasses = $state<number | null>(syntheticDefaults.numClasses);
  size = $state<number | null>(syntheticDefaults.size);
  channels = $state<1 | 3>(syntheticDefaults.channels);
  shapeCorrelation = $state<number | null>(syntheticDefaults.shapeCorrelation);
  shapeContrast = $state<number | null>(syntheticDefaults.shapeContrast);
  patternCorrelation = $state<number | null>(syntheticDefaults.patternCorrelation);
  /** In 1/255 steps, the unit people think of pixel changes in. */
  patternAmplitude255 = $state<number | null>(Math.round(syntheticDefaults.patternAmplitude * 255));
}

export class ImportForm {
  // Bound directly by the inputs: these are the form's own fields.
  format = $state<ImportFormat>('idx-folder');
  name = $state('');
  folder = $state('');
  trainImages = $state('');
  trainLabels = $state('');
  testImages = $state('');
  testLabels = $state('');
  classKind = $state<ClassKind>(datasetImportDefaults.classNames);
  /** One class name per line (or comma-separated), in label order. */
  customNames = $state('');
  labelKind = $state<'fine' | 'coarse'>(datasetImportDefaults.labelKind);
  resize = $state(true);
  height = $state<number | null>(folderDefaults.size);
  width = $state<number | null>(folderDefaults.size);
  fit = $state<'cover' | 'contain' | 'fill'>(folderDefaults.fit);
  color = $state<'grayscale' | 'rgb'>(folderDefaults.color);
  /** Shared by image folders and synthetic images (the same value starts both). */
  testFraction = $state<number | null>(folderDefaults.testFraction);
  seed = $state<number | null>(folderDefaults.seed);
  readonly synthetic = new SyntheticForm();
  /** Problems the last preview or import found with a field, shown under it. */
  readonly errors = new FieldErrors();

  /** The source as the contract takes it; empty numbers go out as NaN so the reply names them. */
  toSource(): MethodInputSource {
    const classNames = this.#classNames();
    switch (this.format) {
      case 'idx-folder':
        return { format: 'idx-folder', folder: this.folder, classNames };
      case 'idx-files':
        return {
          format: 'idx-files',
          trainImages: this.trainImages,
          trainLabels: this.trainLabels,
          testImages: this.testImages.trim() === '' ? null : this.testImages,
          testLabels: this.testLabels.trim() === '' ? null : this.testLabels,
          classNames,
        };
      case 'cifar-10':
      case 'cifar-100':
        return { format: this.format, folder: this.folder, labelKind: this.labelKind, classNames };
      case 'image-folder':
        return {
          format: 'image-folder',
          folder: this.folder,
          size: this.resize
            ? { height: this.height ?? Number.NaN, width: this.width ?? Number.NaN }
            : null,
          fit: this.fit,
          color: this.color,
          testFraction: this.testFraction ?? Number.NaN,
          seed: this.seed ?? folderDefaults.seed,
        };
      case 'synthetic-features': {
        const synthetic = this.synthetic;
        const size = synthetic.size ?? Number.NaN;
        return {
          format: 'synthetic-features',
          count: synthetic.count ?? Number.NaN,
          numClasses: synthetic.numClasses ?? Number.NaN,
          height: size,
          width: size,
          channels: synthetic.channels,
          robust: {
            correlation: synthetic.shapeCorrelation ?? Number.NaN,
            contrast: synthetic.shapeContrast ?? Number.NaN,
          },
          nonRobust: {
            correlation: synthetic.patternCorrelation ?? Number.NaN,
            amplitude: (synthetic.patternAmplitude255 ?? Number.NaN) / 255,
          },
          testFraction: this.testFraction ?? Number.NaN,
          seed: this.seed ?? syntheticDefaults.seed,
        };
      }
    }
  }

  /** The dataset's name: the one typed, else one made from the source. */
  datasetName(): string {
    if (this.name.trim() !== '') return this.name.trim();
    if (this.classKind === 'fashion-mnist' && this.format.startsWith('idx')) return 'Fashion-MNIST';
    if (this.format === 'cifar-10') return 'CIFAR-10';
    if (this.format === 'cifar-100') return `CIFAR-100 (${this.labelKind} labels)`;
    if (this.format === 'synthetic-features') return 'Synthetic robust/non-robust features';
    const path = this.format === 'idx-files' ? this.trainImages : this.folder;
    const last = path
      .split(/[\\/]/)
      .filter((part) => part.length > 0)
      .at(-1);
    return last ?? 'Imported dataset';
  }

  #classNames(): ClassNamesChoice {
    if (this.classKind !== 'custom') return { kind: this.classKind };
    const names = this.customNames
      .split(/[\n,]/)
      .map((name) => name.trim())
      .filter((name) => name.length > 0);
    return { kind: 'custom', names };
  }
}

export class DatasetImportState {
  /** Replaced, not edited, when the dialog opens afresh: see show(). */
  #form = $state.raw(new ImportForm());
  readonly task: DatasetTask;
  #open = $state(false);
  #preview = $state.raw<DatasetImportPreview | null>(null);
  /** The source the preview was made for (JSON), to tell whether the form changed since. */
  #previewedFor = $state<string | null>(null);
  #previewing = $state(false);
  /** Set when the previewed source was imported: importing it again needs a new preview. */
  #imported = $state(false);
  /** Why the last preview or import call was refused (invalid input), shown in the panel. */
  #formError = $state<string | null>(null);

  private readonly api: WorkbenchApi;
  private readonly errors: ErrorState;

  constructor(api: WorkbenchApi, errors: ErrorState, onImported: (datasetId: number) => void) {
    this.api = api;
    this.errors = errors;
    this.task = new DatasetTask(api, (event) => {
      if (event.state !== 'completed' || !event.result?.datasetId) return;
      this.#imported = true;
      onImported(event.result.datasetId);
    });
  }

  get open(): boolean {
    return this.#open;
  }
  get form(): ImportForm {
    return this.#form;
  }
  get preview(): DatasetImportPreview | null {
    return this.#preview;
  }
  get previewing(): boolean {
    return this.#previewing;
  }
  get formError(): string | null {
    return this.#formError;
  }
  /** True when the preview shown belongs to the form as it is now. */
  get previewCurrent(): boolean {
    return (
      this.#previewedFor !== null && this.#previewedFor === JSON.stringify(this.form.toSource())
    );
  }
  get canImport(): boolean {
    return (
      this.previewCurrent && (this.#preview?.ok ?? false) && !this.task.running && !this.#imported
    );
  }

  /**
   * Opening starts a new import: a fresh form and no preview, so the last import's name and
   * images are not offered again. While an import runs, opening shows that one instead.
   */
  show(open: boolean): void {
    if (open && !this.task.running) {
      this.#form = new ImportForm();
      this.#preview = null;
      this.#previewedFor = null;
      this.#formError = null;
      this.#imported = false;
      this.task.clear();
    }
    this.#open = open;
    if (!open) this.task.clear();
  }

  async runPreview(): Promise<void> {
    const source = this.form.toSource();
    this.#previewing = true;
    this.#formError = null;
    this.form.errors.clear();
    this.#imported = false;
    try {
      this.#preview = await this.api.call('datasets.previewImport', source);
      this.#previewedFor = JSON.stringify(source);
    } catch (error) {
      this.#preview = null;
      this.#previewedFor = null;
      this.#formError = this.form.errors.report(error);
    } finally {
      this.#previewing = false;
    }
  }

  async startImport(): Promise<void> {
    if (!this.canImport) return;
    this.#formError = null;
    this.form.errors.clear();
    try {
      await this.task.start(() =>
        this.api.call('datasets.import', {
          source: this.form.toSource(),
          name: this.form.datasetName(),
        }),
      );
    } catch (error) {
      // The form's fields sit under `source` in this call (the dataset's name is beside it).
      this.#formError = this.form.errors.report(error, 'source');
    }
  }

  async cancel(): Promise<void> {
    try {
      await this.task.cancel();
    } catch (error) {
      this.errors.report('Cancel the import', error);
    }
  }
}
