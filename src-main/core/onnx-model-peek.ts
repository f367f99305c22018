/**
 * Checks an ONNX file on the main thread before an import writes anything (no run row for a
 * refused import): it parses (protobufjs, no tensors), it takes the dataset's images and gives
 * one logit per class as far as it declares them, every node's op and attributes are ones the
 * importer translates (the op catalog's lists), and a named representation node exists. The
 * engine checks everything again on the translated graph: what only translation can tell (an
 * attribute value, a shape that cannot be folded) fails the import run with the same wording.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  checkOnnxFits,
  defaultRepresentation,
  namedRepresentation,
  nodeName,
  type ImportTarget,
} from '../engine/models/onnx/onnx-file-facts';
import { supportedAttributes } from '../engine/models/onnx/onnx-op-catalog';
import { decodeModel, type ModelProto } from '../engine/models/onnx/onnx-proto';
import { OnnxImportError } from '../engine/models/onnx/values';

/** protobuf messages are limited to 2 GB; larger models keep their weights in external files. */
const onnxFileLimit = 2 ** 31;

function readModel(path: string): { bytes: Buffer; model: ModelProto } {
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new Error('it is a folder, not an .onnx file');
    if (!stat.isFile()) throw new Error('it is not a regular file');
    if (stat.size > onnxFileLimit) throw new Error('it is larger than 2 GB');
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(
      `${path} cannot be read (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  try {
    return { bytes, model: decodeModel(bytes) };
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** Throws the translator's message (node, op, reason) for the first node it would refuse. */
function checkOps(model: ModelProto, file: string): void {
  const nodes = model.graph?.node ?? [];
  nodes.forEach((node, index) => {
    const op = node.opType ?? '';
    const name = nodeName(node, index);
    let refusal: OnnxImportError | null = null;
    if (node.domain !== undefined && node.domain !== '' && node.domain !== 'ai.onnx') {
      refusal = new OnnxImportError(name, op, `ops of domain ${node.domain} are not supported`);
    } else {
      const attributes = supportedAttributes(op);
      const unknown = node.attribute
        .map((a) => a.name ?? '')
        .filter((a) => attributes !== undefined && !attributes.includes(a));
      if (attributes === undefined) {
        refusal = new OnnxImportError(name, op, 'this op is not supported');
      } else if (unknown.length > 0) {
        refusal = new OnnxImportError(name, op, `attribute ${unknown.join(', ')} is not supported`);
      }
    }
    if (refusal !== null) throw new Error(`${file}: ${refusal.message}`);
  });
}

/** The file's SHA-256 (hex), once every check passed; throws the first problem found. */
export function checkOnnxImport(
  path: string,
  target: ImportTarget,
  representation: string | undefined,
): string {
  const { bytes, model } = readModel(path);
  const file = basename(path);
  checkOnnxFits(model, file, target);
  checkOps(model, file);
  if (representation === undefined) defaultRepresentation(model, file);
  else namedRepresentation(model, file, representation);
  return createHash('sha256').update(bytes).digest('hex');
}
