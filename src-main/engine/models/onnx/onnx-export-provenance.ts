/**
 * Where an exported imported-ONNX model came from, written into the exported file's
 * metadata_props (ModelProto field 14, free-form key/value strings that ONNX runtimes keep and
 * show, e.g. onnxruntime's modelMetadata.customMetadataMap) and read back when such a file is
 * imported again, so the chain file → workbench → file → workbench stays visible on the model's
 * page. The keys are the workbench's own ('rfw.' prefix, so they cannot clash with a producer's).
 */
import type { OnnxProvenance } from '../../../common/onnx-provenance-schemas';
import type { ModelProto } from './onnx-proto';

/** The metadata keys, one per fact of the imported file. */
export const sourceKeys = {
  fileName: 'rfw.imported_from.file_name',
  sha256: 'rfw.imported_from.sha256',
  producer: 'rfw.imported_from.producer',
  inputRange: 'rfw.imported_from.input_range',
  representation: 'rfw.imported_from.representation',
} as const;

export type MetadataEntry = { key: string; value: string };

/** The entries an export writes for a model imported with this provenance. */
export function sourceMetadata(provenance: OnnxProvenance): MetadataEntry[] {
  return [
    { key: sourceKeys.fileName, value: provenance.fileName },
    { key: sourceKeys.sha256, value: provenance.sha256 },
    { key: sourceKeys.producer, value: provenance.producer },
    { key: sourceKeys.inputRange, value: JSON.stringify(provenance.inputRange) },
    { key: sourceKeys.representation, value: provenance.representation.node },
  ];
}

/**
 * The file's metadata with the source entries set to these (a file exported twice has the
 * entries of its last import, not two of each: ONNX's checker refuses duplicate keys).
 */
export function withSourceMetadata(
  metadata: readonly { key?: string; value?: string }[],
  provenance: OnnxProvenance,
): MetadataEntry[] {
  const ours = new Set<string>(Object.values(sourceKeys));
  const kept = metadata
    .filter((entry) => !ours.has(entry.key ?? ''))
    .map((entry) => ({ key: entry.key ?? '', value: entry.value ?? '' }));
  return [...kept, ...sourceMetadata(provenance)];
}

/** A note for the model's page when the file was exported by the workbench; null otherwise. */
export function exportedFromNote(model: ModelProto): string | null {
  const value = (key: string) => model.metadataProps.find((entry) => entry.key === key)?.value;
  const sha256 = value(sourceKeys.sha256);
  if (sha256 === undefined) return null;
  const file = value(sourceKeys.fileName) ?? '(unnamed)';
  const range = value(sourceKeys.inputRange);
  return (
    `exported by the Robust Features Workbench from a model it had imported from ${file} ` +
    `(SHA-256 ${sha256}${range === undefined ? '' : `, input range ${range}`})`
  );
}
