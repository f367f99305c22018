/**
 * Trained and imported models: architecture, provenance and weights (float32, concatenated in
 * layout order). An imported model also keeps its description (tfjs-layers: its layers; ONNX:
 * its structure and provenance), stored as the JSON it came as: the db layer holds no tensor code, so the core checks it (model-spec.ts).
 *
 * The input shape, the weights layout and the description are JSON columns, read through zod
 * (stored-json.ts): `get` and `weights` name the model and the column when one is not what the
 * workbench writes there; `list` leaves such a model out and `unreadable` lists it with why, so
 * the others still load.
 */
import { z } from 'zod';
import type { ArchitectureName, ModelSummary } from '../../common/model-schemas';
import type { ProjectDatabase } from '../project-database';
import { fromBlob, now, toBlob } from './blob-codec';
import { readJsonColumn, StoredJson, StoredColumnError } from './stored-json';

/** One image dimension: whole, from 1 to 65,536. */
const ImageDimension = z.number().int().min(1).max(65_536);

/** A model's input: [height, width, channels]. */
export const StoredInputShape = z.tuple([ImageDimension, ImageDimension, ImageDimension]);

/** Where each weight tensor lies in the weights blob, in order. */
export const StoredWeightsLayout = z.array(
  z.object({
    name: z.string(),
    shape: z.array(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    ),
  }),
);

/** An imported model's description: a JSON object (model-spec.ts checks it against its format). */
export const StoredModelDescription = z.record(z.string(), StoredJson);

export interface StoredWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface NewModel {
  name: string;
  architecture: ArchitectureName;
  inputShape: [number, number, number];
  numClasses: number;
  datasetId: number;
  trainingRunId: number | null;
  robust: boolean;
  parameterCount: number;
  testAccuracy: number | null;
  weights: StoredWeight[];
  /**
   * Imported models only: a tfjs-layers model's layers description, an ONNX model's structure
   * and provenance (JSON object); else absent.
   */
  layers?: Record<string, unknown> | null;
}

export interface ModelRecord extends ModelSummary {
  inputShape: [number, number, number];
  numClasses: number;
  /** An imported model's description (see NewModel.layers); null for built-in architectures. */
  layers: Record<string, unknown> | null;
}

interface ModelRow {
  id: number;
  name: string;
  architecture: ArchitectureName;
  input_shape: string;
  num_classes: number;
  dataset_id: number;
  training_run_id: number | null;
  robust: number;
  parameter_count: number;
  test_accuracy: number | null;
  created_at: string;
  layers: string | null;
}

const summaryColumns = `id, name, architecture, input_shape, num_classes, dataset_id, training_run_id,
  robust, parameter_count, test_accuracy, created_at, layers`;

export class ModelRepository {
  constructor(private readonly db: ProjectDatabase) {}

  /**
   * A name no other model has: `name` itself, else "name (2)", "name (3)", … Models are chosen
   * by name in every list, so two with one name could not be told apart.
   */
  freeName(name: string): string {
    const taken = this.db.prepare('SELECT 1 FROM models WHERE name = ?');
    let candidate = name;
    for (let n = 2; taken.get(candidate) !== undefined; n += 1) candidate = `${name} (${n})`;
    return candidate;
  }

  /** Refuses a name another model has. */
  rename(id: number, name: string): void {
    const other = this.db.prepare('SELECT id FROM models WHERE name = ? AND id != ?').get(name, id);
    if (other !== undefined) throw new Error(`a model named "${name}" already exists`);
    const { changes } = this.db.prepare('UPDATE models SET name = ? WHERE id = ?').run(name, id);
    if (changes === 0) throw new Error(`there is no model ${id} in this project`);
  }

  /**
   * Deletes the model, its weights and its notes. Runs that referred to it keep their rows:
   * runs.model_id is ON DELETE SET NULL (migrations.ts).
   */
  delete(id: number): void {
    this.db.transaction(() => {
      const { changes } = this.db.prepare('DELETE FROM models WHERE id = ?').run(id);
      if (changes === 0) throw new Error(`there is no model ${id} in this project`);
      this.db.prepare("DELETE FROM notes WHERE subject_kind = 'model' AND subject_id = ?").run(id);
    })();
  }

  insert(model: NewModel): number {
    const total = model.weights.reduce((sum, w) => sum + w.data.length, 0);
    const packed = new Float32Array(total);
    let offset = 0;
    for (const weight of model.weights) {
      packed.set(weight.data, offset);
      offset += weight.data.length;
    }
    const layout = model.weights.map(({ name, shape }) => ({ name, shape }));
    const info = this.db
      .prepare(
        `INSERT INTO models (name, architecture, input_shape, num_classes, dataset_id, training_run_id,
           robust, parameter_count, test_accuracy, weights_layout, weights, created_at, layers)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.freeName(model.name),
        model.architecture,
        JSON.stringify(model.inputShape),
        model.numClasses,
        model.datasetId,
        model.trainingRunId,
        model.robust ? 1 : 0,
        model.parameterCount,
        model.testAccuracy,
        JSON.stringify(layout),
        toBlob(packed),
        now(),
        model.layers == null ? null : JSON.stringify(model.layers),
      );
    return Number(info.lastInsertRowid);
  }

  /** Every model whose row can be read, in id order (`unreadable` lists the others). */
  list(): ModelRecord[] {
    return this.readAll().flatMap((read) => ('record' in read ? [read.record] : []));
  }

  /** The models `list` leaves out, as summaries, each with why it cannot be read. */
  unreadable(): { summary: ModelSummary; problem: string }[] {
    return this.readAll().flatMap((read) => ('problem' in read ? [read] : []));
  }

  private readAll(): ({ record: ModelRecord } | { summary: ModelSummary; problem: string })[] {
    const rows = this.db
      .prepare(`SELECT ${summaryColumns} FROM models ORDER BY id`)
      .all() as ModelRow[];
    return rows.map((row) => {
      try {
        return { record: toRecord(row) };
      } catch (error) {
        if (!(error instanceof StoredColumnError)) throw error;
        return { summary: summaryOf(row), problem: error.message };
      }
    });
  }

  /** The model's plain columns, whether or not its JSON columns can be read. */
  summary(id: number): ModelSummary {
    const row = this.db.prepare(`SELECT ${summaryColumns} FROM models WHERE id = ?`).get(id) as
      ModelRow | undefined;
    if (!row) throw new Error(`there is no model ${id} in this project`);
    return summaryOf(row);
  }

  get(id: number): ModelRecord {
    const row = this.db.prepare(`SELECT ${summaryColumns} FROM models WHERE id = ?`).get(id) as
      ModelRow | undefined;
    if (!row) throw new Error(`there is no model ${id} in this project`);
    return toRecord(row);
  }

  weights(id: number): StoredWeight[] {
    const row = this.db
      .prepare('SELECT name, weights_layout, weights FROM models WHERE id = ?')
      .get(id) as { name: string; weights_layout: string; weights: unknown } | undefined;
    if (!row) throw new Error(`there is no model ${id} in this project`);
    const model = `model ${id} "${row.name}"`;
    const layout = readJsonColumn(row.weights_layout, StoredWeightsLayout, {
      row: model,
      column: 'models.weights_layout',
    });
    if (!Buffer.isBuffer(row.weights) || row.weights.byteLength % 4 !== 0) {
      throw new StoredColumnError(
        `${model}: the project file's models.weights cannot be read: it is not float32 bytes`,
      );
    }
    const packed = fromBlob.float32(row.weights);
    const expected = layout.reduce((sum, { shape }) => sum + shape.reduce((a, b) => a * b, 1), 0);
    if (expected !== packed.length) {
      throw new StoredColumnError(
        `${model}: the project file's models.weights_layout describes ${expected} floats, ` +
          `but models.weights holds ${packed.length}`,
      );
    }
    let offset = 0;
    return layout.map(({ name, shape }) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = packed.slice(offset, offset + size);
      offset += size;
      return { name, shape, data };
    });
  }
}

function summaryOf(row: ModelRow): ModelSummary {
  return {
    id: row.id,
    name: row.name,
    architecture: row.architecture,
    datasetId: row.dataset_id,
    trainingRunId: row.training_run_id,
    robust: row.robust === 1,
    createdAt: row.created_at,
    parameterCount: row.parameter_count,
    testAccuracy: row.test_accuracy,
  };
}

function toRecord(row: ModelRow): ModelRecord {
  const where = (column: string) => ({ row: `model ${row.id} "${row.name}"`, column });
  return {
    ...summaryOf(row),
    inputShape: readJsonColumn(row.input_shape, StoredInputShape, where('models.input_shape')),
    numClasses: row.num_classes,
    layers:
      row.layers === null
        ? null
        : readJsonColumn(row.layers, StoredModelDescription, where('models.layers')),
  };
}
