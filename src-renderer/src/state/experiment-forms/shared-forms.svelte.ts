/**
 * What the experiment forms share: the image-kind test, number lists as typed, the fresh-model
 * recipe, the robust evaluation and the ε-ball norms the forms offer. Each form binds its inputs
 * directly, turns them into the contract's config (the main side validates it again and names any
 * bad field), and loads a recorded config back so a past run can be rerun or varied.
 */
import type { FreshModelTraining, RobustEvaluation } from '@common/experiment-schemas';
import type {
  ConstraintName,
  DatasetSummary,
  OptimizerName,
  TrainableArchitecture,
} from '@common/schemas';

/** Colour (3-channel) images get the CIFAR-10 defaults of the papers, grey ones the MNIST ones. */
export function isColour(dataset: DatasetSummary): boolean {
  return dataset.imageShape[2] === 3;
}

/**
 * A comma-separated list of numbers, as typed: "0, 0.1, 0.2". Each token must be a finite number
 * (and a whole one when `whole`); the error names the field and the token so the user can find it.
 */
export function parseNumberList(text: string, field: string, whole = false): number[] {
  const tokens = text.split(',').map((token) => token.trim());
  if (tokens.length === 1 && tokens[0] === '') throw new Error(`${field}: give at least one value`);
  return tokens.map((token, i) => {
    if (token === '') throw new Error(`${field}: value ${i + 1} is empty (two commas in a row?)`);
    const value = Number(token);
    if (!Number.isFinite(value)) throw new Error(`${field}: "${token}" is not a number`);
    if (whole && !Number.isInteger(value))
      throw new Error(`${field}: "${token}" is not a whole number`);
    return value;
  });
}

/** Writes a list back the way parseNumberList reads it. */
export function numberList(values: readonly number[]): string {
  return values.join(', ');
}

/** The standard recipe for the fresh models an experiment trains. */
export class FreshTrainingForm {
  architecture = $state<TrainableArchitecture>('small-cnn');
  epochs = $state<number | null>(10);
  batchSize = $state<number | null>(128);
  learningRate = $state<number | null>(0.001);
  optimizer = $state<OptimizerName>('adam');

  toConfig(): FreshModelTraining {
    return {
      architecture: this.architecture,
      epochs: this.epochs ?? Number.NaN,
      batchSize: this.batchSize ?? Number.NaN,
      learningRate: this.learningRate ?? Number.NaN,
      optimizer: this.optimizer,
    };
  }

  load(recipe: FreshModelTraining): void {
    this.architecture = recipe.architecture;
    this.epochs = recipe.epochs;
    this.batchSize = recipe.batchSize;
    this.learningRate = recipe.learningRate;
    this.optimizer = recipe.optimizer;
  }
}

/** The robust evaluation of the models an experiment trains (PGD with a random start). */
export class EvaluationForm {
  steps = $state<number | null>(20);
  count = $state<number | null>(500);

  toConfig(): RobustEvaluation {
    return { steps: this.steps ?? Number.NaN, count: this.count ?? Number.NaN };
  }

  load(evaluation: RobustEvaluation): void {
    this.steps = evaluation.steps;
    this.count = evaluation.count;
  }
}

/**
 * The norms the forms offer: without an ε-ball there is nothing to trade off. A recorded run made
 * with 'unconstrained' (the CLI allows it) still loads as it was.
 */
export type ExperimentConstraint = Exclude<ConstraintName, 'unconstrained'>;

/** The ε-ball norm whose defaults apply: 'unconstrained' keeps whatever the fields hold. */
export function normOf(constraint: ConstraintName): ExperimentConstraint | null {
  return constraint === 'unconstrained' ? null : constraint;
}
