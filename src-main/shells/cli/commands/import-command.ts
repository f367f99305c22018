/**
 * `rfw import`: a dataset into the project from IDX, CIFAR or image-folder files, or generated
 * (synthetic features). --preview prints what the import would produce and writes nothing.
 * `rfw import --format tfjs-layers --path model.json --dataset ID`: a TensorFlow.js layers model
 * for a project dataset (an engine job, like training); `--format onnx --path model.onnx` an
 * ONNX model, optionally with `--representation NODE`.
 */
import { datasetImportDefaults, modelImportDefaults } from '../../../common/dataset-defaults';
import type { OnnxProvenance } from '../../../common/onnx-provenance-schemas';
import { ImageFitName } from '../../../common/dataset-io-schemas';
import type { CliArguments } from '../cli-arguments';
import { ranges } from '../option-ranges';
import type { CliCommand, CliSession } from '../cli-session';

/** --classes numbered | fashion-mnist | cifar-10 | a,b,c */
function classNames(args: CliArguments) {
  const text = args.string('classes', datasetImportDefaults.classNames);
  if (text === 'numbered' || text === 'fashion-mnist' || text === 'cifar-10') return { kind: text };
  return { kind: 'custom', names: text.split(',').map((name) => name.trim()) };
}

/** The import source the options describe (exported for the test that the UI starts from it). */
export function importSource(args: CliArguments): Record<string, unknown> {
  const r = ranges.import;
  const { imageFolder, synthetic } = datasetImportDefaults;
  const format = args.string('format');
  switch (format) {
    case 'idx':
      return {
        format: 'idx-folder',
        folder: args.string('path', ''),
        classNames: classNames(args),
      };
    case 'idx-files':
      return {
        format: 'idx-files',
        trainImages: args.string('train-images', ''),
        trainLabels: args.string('train-labels', ''),
        testImages: args.string('test-images') ?? null,
        testLabels: args.string('test-labels') ?? null,
        classNames: classNames(args),
      };
    case 'cifar-10':
    case 'cifar-100':
      return {
        format,
        folder: args.string('path', ''),
        labelKind: args.flag('coarse') ? 'coarse' : datasetImportDefaults.labelKind,
        classNames: classNames(args),
      };
    case 'images': {
      const keep = args.flag('no-resize');
      const size = args.number('size', r.imageSize, imageFolder.size);
      if (keep && args.given('size')) {
        throw new Error('--size and --no-resize exclude each other');
      }
      return {
        format: 'image-folder',
        folder: args.string('path', ''),
        size: keep ? null : { height: size, width: size },
        fit: args.choice('fit', ImageFitName.options, imageFolder.fit),
        color: args.flag('grayscale') ? 'grayscale' : imageFolder.color,
        testFraction: args.number('test-fraction', r.imageTestFraction, imageFolder.testFraction),
        seed: args.number('seed', ranges.seed, imageFolder.seed),
      };
    }
    case 'synthetic': {
      const size = args.number('size', r.syntheticSize, synthetic.size);
      return {
        format: 'synthetic-features',
        count: args.number('count', r.syntheticCount, synthetic.count),
        numClasses: args.number('num-classes', r.syntheticClasses, synthetic.numClasses),
        height: size,
        width: size,
        channels: args.flag('grayscale') ? 1 : synthetic.channels,
        robust: {
          correlation: args.number(
            'shape-correlation',
            r.shapeCorrelation,
            synthetic.shapeCorrelation,
          ),
          contrast: args.number('shape-contrast', r.shapeContrast, synthetic.shapeContrast),
        },
        nonRobust: {
          correlation: args.number(
            'pattern-correlation',
            r.patternCorrelation,
            synthetic.patternCorrelation,
          ),
          amplitude: args.number(
            'pattern-amplitude',
            r.patternAmplitude,
            synthetic.patternAmplitude,
          ),
        },
        testFraction: args.number('test-fraction', r.syntheticTestFraction, synthetic.testFraction),
        seed: args.number('seed', ranges.seed, synthetic.seed),
      };
    }
    default:
      throw new Error(
        `--format must be idx, idx-files, cifar-10, cifar-100, images, synthetic, tfjs-layers or onnx (got ${format ?? 'nothing'})`,
      );
  }
}

/** --input-range LOW,HIGH, e.g. 0,255 (the workbench checks low < high). */
export function inputRange(args: CliArguments): [number, number] {
  const text = args.string('input-range', modelImportDefaults.inputRange.join(','));
  const parts = text.split(',').map((part) => part.trim());
  const [low, high] = parts.map(Number);
  if (parts.length !== 2 || parts.includes('') || low === undefined || high === undefined) {
    throw new Error(`--input-range must be two numbers LOW,HIGH such as 0,255 (got "${text}")`);
  }
  return [low, high];
}

/** What an imported ONNX model's page shows, as lines. */
function onnxLines(onnx: OnnxProvenance): string[] {
  const { representation: r, normalization: n } = onnx;
  return [
    `ONNX ${onnx.fileName} sha256 ${onnx.sha256}, opset ${onnx.opset}, producer ${onnx.producer || 'not stated'}`,
    `input ${onnx.inputName} [${onnx.inputShape.join(', ')}] in [${onnx.inputRange.join(', ')}]; ` +
      `representation: output of ${r.node} [${r.shape.join(', ')}] (${r.size} values)`,
    `normalization: ${n === null ? 'none found' : `mean ${n.mean?.join(', ') ?? '-'}, std ${n.std?.join(', ') ?? '-'} (${n.nodes.join(', ')})`}`,
    `ops: ${Object.entries(onnx.opCounts)
      .map(([op, count]) => `${op}×${count}`)
      .join(' ')}`,
  ];
}

/** A TensorFlow.js layers model or an ONNX model, as a project model for --dataset. */
async function importModel(session: CliSession, format: 'tfjs-layers' | 'onnx'): Promise<number> {
  const args = session.args;
  const datasetId = args.number('dataset', ranges.id);
  const request = {
    format,
    path: args.string('path', ''),
    datasetId,
    name: args.string('name'),
    inputRange: inputRange(args),
    ...(format === 'onnx' ? { representation: args.string('representation') } : {}),
  };
  args.rejectUnknown();
  if (datasetId === undefined) {
    throw new Error('--dataset ID is required: the project dataset the model classifies');
  }
  const started = await session.call('jobs.importModel', request);
  const state = await session.followRun(started, 'model import');
  if (state !== 'completed') {
    session.result({ runId: started.runId, state, model: null, notes: [] }, () => [
      `model import ${state}`,
    ]);
    return 1;
  }
  const { result } = await session.call('runs.modelTransferResult', { runId: started.runId });
  if (result.kind !== 'import') throw new Error(`run ${started.runId} is not a model import`);
  const models = await session.call('models.list', {});
  const model = models.find((m) => m.id === result.modelId) ?? null;
  session.result({ runId: started.runId, state, model, notes: result.notes }, () => [
    `model ${result.modelId} "${model?.name ?? ''}": ${result.parameterCount} parameters, from ${result.source}`,
    ...(model?.onnx === undefined ? [] : onnxLines(model.onnx)),
    ...result.notes.map((note) => `note: ${note}`),
  ]);
  return 0;
}

async function preview(session: CliSession, source: Record<string, unknown>): Promise<number> {
  const result = await session.call('datasets.previewImport', source);
  session.result(result, () => [
    result.ok ? 'the import would succeed:' : 'the import would fail:',
    ...result.problems.map((problem) => `  problem: ${problem}`),
    ...(result.imageShape
      ? [`  images ${result.imageShape.join('×')}, classes: ${result.classNames.join(', ')}`]
      : []),
    `  train per class: ${result.counts.train.join(' ')}`,
    `  test per class:  ${result.counts.test.join(' ')}`,
    ...result.notes.map((note) => `  note: ${note}`),
  ]);
  return result.ok ? 0 : 1;
}

export const importCommand: CliCommand = {
  name: 'import',
  usage: [
    '--format idx --path DIR | --format idx-files --train-images F --train-labels F [--test-images F --test-labels F]',
    `               | --format cifar-10|cifar-100 --path DIR [--coarse] | --format images --path DIR [--size N (${datasetImportDefaults.imageFolder.size}) | --no-resize] [--fit cover|contain|fill] [--grayscale] [--test-fraction X]`,
    '               | --format synthetic [--count N] [--num-classes K] [--size N] [--grayscale] [--shape-correlation P] [--shape-contrast X] [--pattern-correlation P] [--pattern-amplitude δ]',
    '               [--classes numbered|fashion-mnist|cifar-10|a,b,c] [--name NAME] [--seed N] [--preview]',
    '               | --format tfjs-layers --path model.json --dataset ID [--name NAME] [--input-range LOW,HIGH]',
    '               | --format onnx --path model.onnx --dataset ID [--name NAME] [--input-range LOW,HIGH] [--representation NODE]',
  ].join('\n'),
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const format = args.string('format');
    if (format === 'tfjs-layers' || format === 'onnx') return importModel(session, format);
    const source = importSource(args);
    const name = args.string('name');
    const previewOnly = args.flag('preview');
    args.rejectUnknown();
    if (previewOnly) return preview(session, source);
    const started = await session.call('datasets.import', {
      source,
      name: name ?? String(source.format),
    });
    const end = await session.followTask(started.taskId);
    session.result(end, () =>
      end.result
        ? [end.result.summary, ...end.result.notes.map((n) => `note: ${n}`)]
        : [`import ${end.state}`],
    );
    return end.state === 'completed' ? 0 : 1;
  },
};
