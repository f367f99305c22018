/**
 * A stored model: the architectures (built-in and imported) and a model's summary. Moving models
 * in and out of a project is model-io-schemas.ts. Pure zod, like every *-schemas.ts.
 */
import { z } from 'zod';
import { OnnxProvenance } from './onnx-provenance-schemas';
import { Id } from './reference-schemas';

export const ArchitectureName = z.enum([
  'small-cnn',
  'madry-cnn',
  'cifar-cnn',
  // issue 4 §2 (models): an MLP, a pre-activation ResNet, imported tfjs-layers models.
  'mlp',
  'preact-resnet',
  'tfjs-layers',
  // issue 13: an imported ONNX model (PyTorch's torch.onnx.export and others).
  'onnx',
]);
export type ArchitectureName = z.infer<typeof ArchitectureName>;

/** What can be trained from scratch: every built-in architecture (an imported model is fixed). */
export const TrainableArchitecture = ArchitectureName.exclude(['tfjs-layers', 'onnx'], {
  message:
    'an imported TensorFlow.js or ONNX model cannot be trained from scratch; choose a built-in architecture',
});
export type TrainableArchitecture = z.infer<typeof TrainableArchitecture>;

/** The built-in architectures, for forms and help texts, in the order they are offered. */
export const trainableArchitectures = TrainableArchitecture.options;

export const ModelSummary = z.object({
  id: Id,
  name: z.string(),
  architecture: ArchitectureName,
  datasetId: Id,
  trainingRunId: Id.nullable(),
  robust: z.boolean(),
  createdAt: z.string(),
  parameterCount: z.number().int(),
  /**
   * Accuracy on the dataset's test split, measured at the end of training or, for an imported
   * model, at import; null when not measured.
   */
  testAccuracy: z.number().nullable(),
  /** Imported ONNX models: what was imported and how the workbench runs it (issue 13). */
  onnx: OnnxProvenance.optional(),
  /**
   * Why the model cannot be used, where its row in the project file cannot be read (a damaged or
   * hand-edited file): what any job that names it fails with. Absent for a usable model.
   */
  problem: z.string().optional(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;
