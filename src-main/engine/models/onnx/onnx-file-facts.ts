/**
 * What an ONNX ModelProto states plainly, read without tensors (the core reads it on the main
 * thread to refuse an import before anything is written; the engine's import reads it again):
 * the default opset, the producer, node names and op counts, the image input and the logits
 * output as declared, the float initializers (the weights), an input-normalization prefix, and
 * the value taken as the representation.
 */
import type { ModelProto, NodeProto, ValueInfoProto } from './onnx-proto';
import { hostTensor, OnnxDataType, type HostTensor } from './onnx-tensor';
import type { OnnxNormalization } from '../../../common/onnx-provenance-schemas';

export function defaultOpset(model: ModelProto): number | undefined {
  return model.opsetImport.find(
    (o) => o.domain === undefined || o.domain === '' || o.domain === 'ai.onnx',
  )?.version;
}

export function producerOf(model: ModelProto): string {
  return [model.producerName ?? '', model.producerVersion ?? ''].join(' ').trim();
}

/** A node's name as the translator reports it: its own, or `<op>_<index>` when it has none. */
export function nodeName(node: NodeProto, index: number): string {
  return node.name !== undefined && node.name !== '' ? node.name : `${node.opType ?? ''}_${index}`;
}

export function opCounts(model: ModelProto): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of model.graph?.node ?? []) {
    const op = node.opType ?? '';
    counts[op] = (counts[op] ?? 0) + 1;
  }
  return counts;
}

/** The graph inputs that are not initializers (weights listed as inputs by IR < 4 files). */
export function dataInputs(model: ModelProto): ValueInfoProto[] {
  const graph = model.graph;
  const initialized = new Set((graph?.initializer ?? []).map((t) => t.name ?? ''));
  return (graph?.input ?? []).filter((input) => !initialized.has(input.name ?? ''));
}

/** Declared dimensions: a size, or the symbolic name (or '?') of a size the file leaves open. */
export function declaredDims(info: ValueInfoProto): (number | string)[] | null {
  const shape = info.type?.tensorType?.shape;
  if (shape === undefined) return null;
  return shape.dim.map((d) => d.dimValue ?? d.dimParam ?? '?');
}

export function isFloatInitializer(dataType: number | undefined): boolean {
  return dataType === OnnxDataType.float || dataType === OnnxDataType.double;
}

/** A constant value by name: an initializer or the `value` of a Constant node; else undefined. */
function constantValue(model: ModelProto, name: string): HostTensor | undefined {
  const graph = model.graph;
  const initializer = graph?.initializer.find((t) => t.name === name);
  if (initializer !== undefined) return hostTensor(initializer);
  const node = graph?.node.find((n) => n.opType === 'Constant' && n.output[0] === name);
  const value = node?.attribute.find((a) => a.name === 'value')?.t;
  return value === undefined ? undefined : hostTensor(value);
}

/**
 * The per-channel values of a constant that broadcasts against [N, C, H, W] along C only (shape
 * [C,1,1], [1,C,1,1], [1] or a scalar), or null.
 */
function perChannel(value: HostTensor | undefined, channels: number): number[] | null {
  if (value?.kind !== 'float') return null;
  const dims = [...new Array<number>(Math.max(0, 4 - value.dims.length)).fill(1), ...value.dims];
  const [n, c, h, w] = dims;
  if (dims.length !== 4 || n !== 1 || h !== 1 || w !== 1) return null;
  if (c !== channels && c !== 1) return null;
  return Array.from(value.values);
}

function onlyConsumer(model: ModelProto, value: string): NodeProto | undefined {
  const users = (model.graph?.node ?? []).filter((n) => n.input.includes(value));
  return users.length === 1 ? users[0] : undefined;
}

/**
 * The input-normalization prefix RobustBench-style models start with, x' = (x − μ) / σ per
 * channel: a Sub of a per-channel constant as the input's only consumer, then a Div by one as
 * the Sub's (or, without a Sub, the input's) only consumer. Null when neither is there.
 */
export function findNormalization(model: ModelProto, channels: number): OnnxNormalization | null {
  const input = dataInputs(model)[0]?.name;
  if (input === undefined) return null;
  const nodes = model.graph?.node ?? [];
  const named = (node: NodeProto) => nodeName(node, nodes.indexOf(node));
  let value = input;
  let mean: number[] | null = null;
  let std: number[] | null = null;
  const prefix: string[] = [];
  const sub = onlyConsumer(model, value);
  if (sub?.opType === 'Sub' && sub.input[0] === value && sub.input[1] !== undefined) {
    mean = perChannel(constantValue(model, sub.input[1]), channels);
    if (mean !== null && sub.output[0] !== undefined) {
      prefix.push(named(sub));
      value = sub.output[0];
    }
  }
  const div = onlyConsumer(model, value);
  if (div?.opType === 'Div' && div.input[0] === value && div.input[1] !== undefined) {
    std = perChannel(constantValue(model, div.input[1]), channels);
    if (std !== null) prefix.push(named(div));
  }
  return prefix.length === 0 ? null : { mean, std, nodes: prefix };
}

export interface RepresentationChoice {
  /** The node whose output it is (the graph input's name when it is the input itself). */
  node: string;
  value: string;
}

/** The default representation: the data input of the last Gemm or MatMul. */
export function defaultRepresentation(model: ModelProto, file: string): RepresentationChoice {
  const nodes = model.graph?.node ?? [];
  const last = nodes.findLast((n) => n.opType === 'Gemm' || n.opType === 'MatMul');
  const value = last?.input[0];
  if (last === undefined || value === undefined) {
    throw new Error(
      `${file} has no Gemm or MatMul node, whose input would be the representation: name a node with --representation`,
    );
  }
  const index = nodes.findIndex((n) => n.output.includes(value));
  const producer = nodes[index];
  return { node: producer === undefined ? value : nodeName(producer, index), value };
}

/** The value a node named by the person produces (its first output). */
export function namedRepresentation(
  model: ModelProto,
  file: string,
  name: string,
): RepresentationChoice {
  const nodes = model.graph?.node ?? [];
  const index = nodes.findIndex((n, i) => nodeName(n, i) === name);
  const value = nodes[index]?.output[0];
  if (value === undefined) {
    const first = Math.max(0, nodes.length - 6);
    const last = nodes.slice(first).map((n, i) => nodeName(n, first + i));
    throw new Error(
      `${file} has no node named "${name}" for the representation (its last nodes: ${last.join(', ')})`,
    );
  }
  return { node: name, value };
}

/** The dataset an import is for, as far as the fit is concerned. */
export interface ImportTarget {
  name: string;
  /** [H, W, C], the workbench's image shape. */
  imageShape: readonly [number, number, number];
  numClasses: number;
}

/**
 * The image input's declared [C, H, W]. Throws when the graph does not take one float image
 * batch [N, C, H, W] with fixed C, H, W.
 */
export function imageInput(model: ModelProto, file: string): { name: string; chw: number[] } {
  const inputs = dataInputs(model);
  const input = inputs[0];
  if (inputs.length !== 1 || input === undefined) {
    throw new Error(`${file} has ${inputs.length} inputs; an image classifier has one`);
  }
  const name = input.name ?? '';
  const dims = declaredDims(input);
  if (dims === null || dims.length !== 4) {
    throw new Error(
      `${file}: input "${name}" has shape [${(dims ?? []).join(', ')}]; the workbench takes images [N, C, H, W]`,
    );
  }
  const chw = dims.slice(1);
  if (!chw.every((d): d is number => typeof d === 'number')) {
    throw new Error(
      `${file}: input "${name}" has shape [${dims.join(', ')}]; C, H and W must be fixed sizes`,
    );
  }
  return { name, chw };
}

/**
 * Throws, naming both sides and what differs, when the declared input is not the dataset's
 * images or the declared logits are not one per class (an output of open size is left to the
 * engine's check).
 */
export function checkOnnxFits(model: ModelProto, file: string, target: ImportTarget): void {
  const { name, chw } = imageInput(model, file);
  const [h, w, c] = target.imageShape;
  const [mc, mh, mw] = chw;
  const differences = [
    ...(mc !== c ? [`${mc} channels, not ${c}`] : []),
    ...(mh !== h || mw !== w ? [`${mh}×${mw} pixels, not ${h}×${w}`] : []),
  ];
  if (differences.length > 0) {
    throw new Error(
      `${file} takes images [C, H, W] = [${chw.join(', ')}] (input "${name}"), but dataset ` +
        `"${target.name}" has [${c}, ${h}, ${w}]: ${differences.join(' and ')}`,
    );
  }
  const outputs = model.graph?.output ?? [];
  const output = outputs[0];
  if (outputs.length !== 1 || output === undefined) {
    throw new Error(`${file} has ${outputs.length} outputs; a classifier has one (the logits)`);
  }
  const dims = declaredDims(output);
  const classes = dims?.length === 2 ? dims[1] : undefined;
  if (typeof classes === 'number' && classes !== target.numClasses) {
    throw new Error(
      `${file} outputs ${classes} classes (output "${output.name ?? ''}" [${(dims ?? []).join(', ')}]), ` +
        `but dataset "${target.name}" has ${target.numClasses}`,
    );
  }
}
