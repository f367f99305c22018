/**
 * Datasets: metadata, labels and split in one row; pixels in chunks of `chunkSize` images so a page
 * of the grid reads only the chunks it needs.
 *
 * The class names and the split are JSON columns, read through zod (stored-json.ts): `get` names
 * the dataset and the column when one is not what the workbench writes there, and `list` leaves
 * such a dataset out, so the others still load.
 */
import { z } from 'zod';
import { SplitInfo } from '../../common/dataset-schemas';
import type { ProjectDatabase } from '../project-database';
import { fromBlob, now, toBlob } from './blob-codec';
import { readJsonColumn, StoredColumnError } from './stored-json';

export const chunkSize = 1000;

export { SplitInfo };

/** A dataset's class names, in label order. */
export const StoredClassNames = z.array(z.string());

export interface NewDataset {
  name: string;
  imageShape: [number, number, number];
  classNames: string[];
  source: string;
  split: SplitInfo;
  /** N·H·W·C, uint8 0..255 or float32 0..1 (constructed datasets are never quantized). */
  pixels: Uint8Array | Float32Array;
  labels: Int32Array;
  /** 0 = train, 1 = test */
  splits: Uint8Array;
  /** Where each image came from, for a dataset an experiment constructed; absent otherwise. */
  provenance?: DatasetProvenance;
}

/**
 * Per image of a constructed dataset, the image it was made from: its position in the source
 * dataset (the index that dataset's view shows, over both splits) and its label there.
 */
export interface DatasetProvenance {
  sourceDatasetId: number;
  /** As it was when the dataset was constructed (the source may be deleted later). */
  sourceDatasetName: string;
  sourceIndices: Int32Array;
  originalLabels: Int32Array;
}

export interface DatasetRecord {
  id: number;
  name: string;
  imageShape: [number, number, number];
  count: number;
  dtype: 'uint8' | 'float32';
  classNames: string[];
  split: SplitInfo;
  source: string;
  labels: Int32Array;
  splits: Uint8Array;
  createdAt: string;
}

interface DatasetRow {
  id: number;
  name: string;
  height: number;
  width: number;
  channels: number;
  count: number;
  dtype: 'uint8' | 'float32';
  class_names: string;
  split_info: string;
  source: string;
  labels: Buffer;
  splits: Buffer;
  created_at: string;
}

export class DatasetRepository {
  constructor(private readonly db: ProjectDatabase) {}

  insert(dataset: NewDataset): number {
    const [height, width, channels] = dataset.imageShape;
    const imageSize = height * width * channels;
    const count = dataset.labels.length;
    if (dataset.pixels.length !== count * imageSize || dataset.splits.length !== count) {
      throw new Error(
        `dataset "${dataset.name}": ${count} labels but ${dataset.pixels.length / imageSize} images and ${dataset.splits.length} split marks`,
      );
    }
    if (dataset.provenance) checkProvenance(dataset.name, count, dataset.provenance);
    const dtype = dataset.pixels instanceof Float32Array ? 'float32' : 'uint8';
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO datasets (name, height, width, channels, count, dtype, class_names, split_info,
             source, labels, splits, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          dataset.name,
          height,
          width,
          channels,
          count,
          dtype,
          JSON.stringify(dataset.classNames),
          JSON.stringify(dataset.split),
          dataset.source,
          toBlob(dataset.labels),
          toBlob(dataset.splits),
          now(),
        );
      const id = Number(info.lastInsertRowid);
      const insertChunk = this.db.prepare(
        'INSERT INTO dataset_chunks (dataset_id, chunk_index, first_image, image_count, pixels) VALUES (?, ?, ?, ?, ?)',
      );
      for (let first = 0, chunk = 0; first < count; first += chunkSize, chunk += 1) {
        const images = Math.min(chunkSize, count - first);
        const slice = dataset.pixels.subarray(first * imageSize, (first + images) * imageSize);
        insertChunk.run(id, chunk, first, images, toBlob(slice));
      }
      const provenance = dataset.provenance;
      if (provenance) {
        this.db
          .prepare(
            `INSERT INTO dataset_provenance (dataset_id, source_dataset_id, source_dataset_name,
               source_indices, original_labels) VALUES (?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            provenance.sourceDatasetId,
            provenance.sourceDatasetName,
            toBlob(provenance.sourceIndices),
            toBlob(provenance.originalLabels),
          );
      }
      return id;
    })();
  }

  /**
   * Every dataset whose row can be read, in id order. One that cannot is left out; whatever names
   * it by id (a model, an attack) gets `get`'s error, which says why.
   */
  list(): DatasetRecord[] {
    const rows = this.db.prepare('SELECT * FROM datasets ORDER BY id').all() as DatasetRow[];
    return rows.flatMap((row) => {
      try {
        return [toRecord(row)];
      } catch (error) {
        if (error instanceof StoredColumnError) return [];
        throw error;
      }
    });
  }

  get(id: number): DatasetRecord {
    const row = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as
      DatasetRow | undefined;
    if (!row) throw new Error(`there is no dataset ${id} in this project`);
    return toRecord(row);
  }

  /**
   * Deletes a dataset and its pixel chunks in one transaction. Refused while a model refers to it
   * (its provenance would point nowhere).
   */
  delete(id: number): void {
    // Only the name is needed: a dataset whose JSON columns cannot be read can still be deleted.
    const dataset = this.db.prepare('SELECT name FROM datasets WHERE id = ?').get(id) as
      { name: string } | undefined;
    if (!dataset) throw new Error(`there is no dataset ${id} in this project`);
    const { n: models } = this.db
      .prepare('SELECT COUNT(*) AS n FROM models WHERE dataset_id = ?')
      .get(id) as { n: number };
    if (models > 0) {
      throw new Error(
        `dataset "${dataset.name}" cannot be deleted: ${models} model${models === 1 ? ' was' : 's were'} trained on it`,
      );
    }
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM dataset_chunks WHERE dataset_id = ?').run(id);
      this.db.prepare('DELETE FROM dataset_provenance WHERE dataset_id = ?').run(id);
      this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
    })();
  }

  /**
   * Where each image of a constructed dataset came from; null for an imported dataset and for
   * one constructed before the project recorded provenance (unknown, not guessed).
   */
  provenance(datasetId: number): DatasetProvenance | null {
    const row = this.db
      .prepare(
        `SELECT source_dataset_id, source_dataset_name, source_indices, original_labels
         FROM dataset_provenance WHERE dataset_id = ?`,
      )
      .get(datasetId) as ProvenanceRow | undefined;
    if (!row) return null;
    return {
      sourceDatasetId: row.source_dataset_id,
      sourceDatasetName: row.source_dataset_name,
      sourceIndices: fromBlob.int32(row.source_indices),
      originalLabels: fromBlob.int32(row.original_labels),
    };
  }

  /** Pixels of the given images, in the order asked, as one N·H·W·C array of the dataset's dtype. */
  readImages(dataset: DatasetRecord, indices: readonly number[]): Uint8Array | Float32Array {
    const [height, width, channels] = dataset.imageShape;
    const imageSize = height * width * channels;
    for (const index of indices) {
      if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
        throw new Error(
          `image index ${index} is out of range: dataset "${dataset.name}" has images 0 to ${dataset.count - 1}`,
        );
      }
    }
    const out =
      dataset.dtype === 'float32'
        ? new Float32Array(indices.length * imageSize)
        : new Uint8Array(indices.length * imageSize);
    const chunkQuery = this.db.prepare(
      'SELECT pixels FROM dataset_chunks WHERE dataset_id = ? AND chunk_index = ?',
    );
    const cache = new Map<number, Uint8Array | Float32Array>();
    indices.forEach((index, position) => {
      const chunkIndex = Math.floor(index / chunkSize);
      let chunk = cache.get(chunkIndex);
      if (!chunk) {
        const row = chunkQuery.get(dataset.id, chunkIndex) as { pixels: Buffer } | undefined;
        if (!row) throw new Error(`dataset ${dataset.id} is missing pixel chunk ${chunkIndex}`);
        chunk =
          dataset.dtype === 'float32' ? fromBlob.float32(row.pixels) : fromBlob.uint8(row.pixels);
        cache.set(chunkIndex, chunk);
      }
      const offset = (index - chunkIndex * chunkSize) * imageSize;
      out.set(chunk.subarray(offset, offset + imageSize), position * imageSize);
    });
    return out;
  }
}

interface ProvenanceRow {
  source_dataset_id: number;
  source_dataset_name: string;
  source_indices: Buffer;
  original_labels: Buffer;
}

/** One source index and one original label per image, and no negative index. */
function checkProvenance(name: string, count: number, provenance: DatasetProvenance): void {
  const { sourceIndices, originalLabels } = provenance;
  if (sourceIndices.length !== count || originalLabels.length !== count) {
    throw new Error(
      `dataset "${name}": ${count} images but ${sourceIndices.length} source indices and ${originalLabels.length} original labels`,
    );
  }
  const negative = sourceIndices.findIndex((index) => index < 0);
  if (negative >= 0) {
    throw new Error(
      `dataset "${name}": image ${negative} has source index ${sourceIndices[negative]}, not a position in "${provenance.sourceDatasetName}"`,
    );
  }
}

function toRecord(row: DatasetRow): DatasetRecord {
  const where = (column: string) => ({ row: `dataset ${row.id} "${row.name}"`, column });
  return {
    id: row.id,
    name: row.name,
    imageShape: [row.height, row.width, row.channels],
    count: row.count,
    dtype: row.dtype,
    classNames: readJsonColumn(row.class_names, StoredClassNames, where('datasets.class_names')),
    split: readJsonColumn(row.split_info, SplitInfo, where('datasets.split_info')),
    source: row.source,
    labels: fromBlob.int32(row.labels),
    splits: fromBlob.uint8(row.splits),
    createdAt: row.created_at,
  };
}
