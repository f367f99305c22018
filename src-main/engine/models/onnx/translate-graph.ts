/**
 * Translates an ONNX graph once into a list of engine kernels (see values.ts for the layouts).
 *
 * Walking the nodes in their (topological) order, each node's translator sees what is known
 * about its inputs and returns either integers folded at import (shape arithmetic) or a kernel.
 * A kernel whose inputs are all constants is run once here and its result kept as a constant;
 * any other becomes a step of the model. To know every value's shape without writing shape
 * inference per op, each step is also run at import on zero "probe" inputs at two batch sizes
 * (2 and 3): a size equal in both is static, one equal to the probe's batch is 'N', anything
 * else depends on the batch in another way (null) and cannot feed a Shape.
 *
 * Every tensor made at import (converted weights, folded constants) is kept and owned by the
 * returned graph; probe tensors are disposed before it returns.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NodeAttributes, type OnnxNode } from './attributes';
import { rewriteGraph } from './graph-rewrites';
import { logical, onnxValue } from './layout';
import { onnxOpRegistry } from './onnx-ops';
import type { ModelProto, ValueInfoProto } from './onnx-proto';
import { hostTensor, OnnxDataType, dataTypeName, type HostTensor } from './onnx-tensor';
import type { OpRegistry, TranslateContext } from './op-registry';
import {
  OnnxImportError,
  Refusal,
  type Dim,
  type Kernel,
  type LaidOut,
  type Layout,
  type SymbolicInts,
  type Translation,
  type ValueInfo,
} from './values';

export interface TranslateOptions {
  /** 'nhwc': 4-D graph inputs arrive as [N,H,W,C] (the workbench's images); 'onnx': as declared. */
  readonly inputLayout: Layout;
  /** Graph inputs given as constants at import (weights a graph takes as inputs). */
  readonly constantInputs?: ReadonlyMap<string, HostTensor>;
  /**
   * Initializers given as host tensors besides those in the file (a stored model keeps its float
   * initializers as weights, apart from its structure: onnx-model-description.ts).
   */
  readonly initializers?: ReadonlyMap<string, HostTensor>;
  /** Remove a Softmax/LogSoftmax that produces a graph output (the workbench needs logits). */
  readonly stripOutputSoftmax: boolean;
  /**
   * Inner values that run() returns besides the graph outputs (e.g. the representation), by
   * value name. No rewrite removes them (a Conv→Relu fusion would otherwise swallow a Conv's
   * output); each must be computed by a step of the model, not folded to a constant at import.
   */
  readonly extraOutputs?: readonly string[];
}

export interface GraphInput {
  readonly name: string;
  /** Logical (ONNX) shape; 'N' is the batch. */
  readonly shape: readonly Dim[];
}

interface Step {
  readonly run: Kernel;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface OnnxGraph {
  readonly opset: number;
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly string[];
  readonly notes: readonly string[];
  /** Node count per op type, as imported (before rewrites). */
  readonly opCounts: ReadonlyMap<string, number>;
  /** The logical shape of each extra output ('N' the batch; null a batch-dependent size). */
  readonly extraShapes: ReadonlyMap<string, readonly (Dim | null)[]>;
  /**
   * Runs the graph; inputs in the translation's input layout; outputs (graph outputs and the
   * extra outputs, by name) in ONNX's layout.
   */
  run(inputs: ReadonlyMap<string, tf.Tensor>): Map<string, tf.Tensor>;
  dispose(): void;
}

const probeBatches = [2, 3];

function defaultOpset(model: ModelProto): number {
  const entry = model.opsetImport.find(
    (o) => o.domain === undefined || o.domain === '' || o.domain === 'ai.onnx',
  );
  if (entry?.version === undefined)
    throw new OnnxImportError('(model)', 'opset_import', 'no default-domain opset');
  return entry.version;
}

function infoOfHost(tensor: HostTensor): { info: ValueInfo; value: tf.Tensor } {
  if (tensor.kind === 'float') {
    const value = tf.tensor(tensor.values, tensor.dims, 'float32');
    return { value, info: { shape: tensor.dims, dtype: 'float32', constant: value } };
  }
  const value = tf.tensor(tensor.values, tensor.dims, 'int32');
  const ints: SymbolicInts | undefined =
    tensor.dims.length <= 1
      ? { values: tensor.values, scalar: tensor.dims.length === 0 }
      : undefined;
  return { value, info: { shape: tensor.dims, dtype: 'int32', constant: value, ints } };
}

function declaredShape(input: ValueInfoProto): Dim[] {
  const name = input.name ?? '';
  const tensorType = input.type?.tensorType;
  if (tensorType === undefined)
    throw new OnnxImportError(name, 'graph input', 'only tensor inputs are supported');
  if (tensorType.elemType !== OnnxDataType.float) {
    throw new OnnxImportError(
      name,
      'graph input',
      `${dataTypeName(tensorType.elemType)} inputs are not supported (float only)`,
    );
  }
  const dims = tensorType.shape?.dim ?? [];
  return dims.map((d, i): Dim => {
    if (d.dimValue !== undefined) return d.dimValue;
    if (i === 0) return 'N';
    throw new OnnxImportError(
      name,
      'graph input',
      `axis ${i} has no fixed size (${d.dimParam ?? 'unknown'})`,
    );
  });
}

/** Runs fn and keeps every tensor it made (they escape any enclosing tidy); returns them. */
function keepingTensors<T>(fn: () => T): { result: T; created: tf.Tensor[] } {
  const engine = tf.engine();
  engine.startScope('onnx-import');
  let created: tf.Tensor[] = [];
  try {
    const result = fn();
    created = [...engine.state.activeScope.track];
    return { result, created };
  } finally {
    engine.endScope(created);
    for (const t of created) tf.keep(t);
  }
}

function mergeShapes(shapes: readonly number[][]): (Dim | null)[] {
  const first = shapes[0] ?? [];
  return first.map((size, axis) => {
    const sizes = shapes.map((s) => s[axis]);
    if (sizes.every((s) => s === size)) return size;
    if (sizes.every((s, p) => s === probeBatches[p])) return 'N';
    return null;
  });
}

function logicalShapeOf(value: LaidOut): number[] {
  const s = value.tensor.shape;
  return value.layout === 'nhwc' ? [s[0] ?? 0, s[3] ?? 0, s[1] ?? 0, s[2] ?? 0] : [...s];
}

function wrap(node: OnnxNode, error: unknown): never {
  if (error instanceof OnnxImportError) throw error;
  const reason = error instanceof Error ? error.message : String(error);
  throw new OnnxImportError(node.name, node.opType, reason);
}

export function translateGraph(
  model: ModelProto,
  options: TranslateOptions,
  registry: OpRegistry = onnxOpRegistry(),
): OnnxGraph {
  const graph = model.graph;
  if (graph === undefined) throw new OnnxImportError('(model)', 'graph', 'the model has no graph');
  const context: TranslateContext = { opset: defaultOpset(model) };
  const infos = new Map<string, ValueInfo>();
  const constants = new Map<string, LaidOut>();
  const owned: tf.Tensor[] = [];
  const probes: Map<string, LaidOut>[] = [];
  const steps: Step[] = [];
  const inputs: GraphInput[] = [];

  const addConstant = (name: string, host: HostTensor) => {
    const { info, value } = infoOfHost(host);
    infos.set(name, info);
    constants.set(name, onnxValue(value));
    owned.push(tf.keep(value));
  };

  try {
    for (const initializer of graph.initializer)
      addConstant(initializer.name ?? '', hostTensor(initializer));
    for (const [name, host] of options.initializers ?? []) addConstant(name, host);
    for (const input of graph.input) {
      const name = input.name ?? '';
      if (infos.has(name)) continue;
      const given = options.constantInputs?.get(name);
      if (given !== undefined) {
        addConstant(name, given);
        continue;
      }
      const shape = declaredShape(input);
      inputs.push({ name, shape });
      infos.set(name, { shape, dtype: 'float32' });
    }
    const dynamic = inputs.some((i) => i.shape.includes('N'));
    const batches = dynamic ? probeBatches : [1];
    for (const batch of batches) {
      const env = new Map<string, LaidOut>();
      for (const input of inputs) {
        const shape = input.shape.map((d) => (d === 'N' ? batch : d));
        const nhwc = options.inputLayout === 'nhwc' && shape.length === 4;
        const [n, c, h, w] = shape;
        const physical = nhwc ? [n ?? 0, h ?? 0, w ?? 0, c ?? 0] : shape;
        env.set(input.name, { tensor: tf.zeros(physical), layout: nhwc ? 'nhwc' : 'onnx' });
      }
      probes.push(env);
    }

    const opCounts = new Map<string, number>();
    const nodes: OnnxNode[] = graph.node.map((n, index) => {
      const opType = n.opType ?? '';
      opCounts.set(opType, (opCounts.get(opType) ?? 0) + 1);
      return {
        name: n.name !== undefined && n.name !== '' ? n.name : `${opType}_${index}`,
        opType,
        inputs: n.input,
        outputs: n.output,
        attributes: new NodeAttributes(n.attribute),
        ...(n.domain !== undefined && n.domain !== '' && n.domain !== 'ai.onnx'
          ? { domain: n.domain }
          : {}),
      };
    });
    for (const n of graph.node) {
      if (n.domain !== undefined && n.domain !== '' && n.domain !== 'ai.onnx') {
        throw new OnnxImportError(
          n.name ?? '',
          n.opType ?? '',
          `ops of domain ${n.domain} are not supported`,
        );
      }
    }
    const extraOutputs = options.extraOutputs ?? [];
    const rewritten = rewriteGraph(
      nodes,
      graph.output.map((o) => o.name ?? ''),
      options.stripOutputSoftmax,
      extraOutputs,
    );

    for (const node of rewritten.nodes) {
      const translator = registry.get(node.opType);
      if (translator === undefined)
        throw new OnnxImportError(node.name, node.opType, 'this op is not supported');
      const unknown = node.attributes.names().filter((a) => !translator.attributes.includes(a));
      if (unknown.length > 0) {
        throw new OnnxImportError(
          node.name,
          node.opType,
          `attribute ${unknown.join(', ')} is not supported`,
        );
      }
      const inputInfos = node.inputs.map((name) => {
        if (name === '') return undefined;
        const info = infos.get(name);
        if (info === undefined)
          throw new OnnxImportError(
            node.name,
            node.opType,
            `input ${name} is produced by no earlier node`,
          );
        return info;
      });
      let translation: Translation;
      try {
        const kept = keepingTensors(() => translator.translate(node, inputInfos, context));
        owned.push(...kept.created);
        translation = kept.result;
      } catch (error) {
        wrap(node, error);
      }
      if (translation.kind === 'ints') {
        node.outputs.forEach((name, i) => {
          const value = translation.outputs[i];
          if (value === undefined) return;
          const concrete = value.values.every((v) => v !== 'N');
          let constant: tf.Tensor | undefined;
          if (concrete) {
            constant = tf.keep(
              tf.tensor(
                value.values as number[],
                value.scalar ? [] : [value.values.length],
                'int32',
              ),
            );
            owned.push(constant);
            constants.set(name, onnxValue(constant));
          }
          infos.set(name, {
            shape: value.scalar ? [] : [value.values.length],
            dtype: 'int32',
            ints: value,
            ...(constant ? { constant } : {}),
          });
        });
        continue;
      }
      const run = translation.run;
      const allConstant = inputInfos.every((i) => i === undefined || i.constant !== undefined);
      if (allConstant) {
        let results: tf.Tensor[];
        try {
          results = tf.tidy(() =>
            run(
              node.inputs.map((name) => constants.get(name)),
              { batch: 1 },
            ).map((v) => logical(v)),
          );
        } catch (error) {
          wrap(node, error);
        }
        node.outputs.forEach((name, i) => {
          const value = results[i];
          if (value === undefined || name === '') return;
          owned.push(tf.keep(value));
          constants.set(name, onnxValue(value));
          const isInts = value.dtype === 'int32' && value.rank <= 1;
          infos.set(name, {
            shape: value.shape,
            dtype: value.dtype,
            constant: value,
            ...(isInts
              ? { ints: { values: Array.from(value.dataSync()), scalar: value.rank === 0 } }
              : {}),
          });
        });
        continue;
      }
      const shapes: number[][][] = node.outputs.map(() => []);
      let dtypes: tf.DataType[] = [];
      for (const [p, env] of probes.entries()) {
        let results: LaidOut[];
        try {
          let layouts: Layout[] = [];
          const tensors = tf.tidy(() => {
            const out = run(
              node.inputs.map((name) => env.get(name) ?? constants.get(name)),
              { batch: batches[p] ?? 1 },
            );
            layouts = out.map((v) => v.layout);
            return out.map((v) => v.tensor);
          });
          results = tensors.map((tensor, i) => ({ tensor, layout: layouts[i] ?? 'onnx' }));
        } catch (error) {
          wrap(node, error);
        }
        dtypes = results.map((r) => r.tensor.dtype);
        node.outputs.forEach((name, i) => {
          const value = results[i];
          if (value === undefined || name === '') return;
          env.set(name, value);
          shapes[i]?.push(logicalShapeOf(value));
        });
      }
      node.outputs.forEach((name, i) => {
        if (name === '') return;
        infos.set(name, { shape: mergeShapes(shapes[i] ?? []), dtype: dtypes[i] ?? 'float32' });
      });
      steps.push({ run, inputs: node.inputs, outputs: node.outputs });
    }

    const outputValues = [...rewritten.outputs.entries()];
    for (const [output, value] of outputValues) {
      if (!infos.has(value))
        throw new OnnxImportError(output, 'graph output', 'no node produces it');
    }
    const stepOutputs = new Set(steps.flatMap((step) => step.outputs));
    const extraShapes = new Map<string, readonly (Dim | null)[]>();
    for (const name of extraOutputs) {
      const info = infos.get(name);
      if (info === undefined || !stepOutputs.has(name)) {
        throw new OnnxImportError(
          name,
          'value',
          info === undefined
            ? 'no node produces it'
            : 'it is not computed from the input by a node of the model (a constant or an input)',
        );
      }
      extraShapes.set(name, info.shape);
    }
    const ownedSet = new Set(owned);
    for (const env of probes)
      for (const v of env.values()) if (!ownedSet.has(v.tensor)) v.tensor.dispose();
    probes.length = 0;

    return {
      opset: context.opset,
      inputs,
      outputs: outputValues.map(([o]) => o),
      notes: rewritten.notes,
      opCounts,
      extraShapes,
      run(feeds) {
        const env = new Map<string, LaidOut>(constants);
        let batch = 1;
        for (const input of inputs) {
          const tensor = feeds.get(input.name);
          if (tensor === undefined) throw new Error(`input ${input.name} is missing`);
          const nhwc = options.inputLayout === 'nhwc' && tensor.rank === 4;
          const value: LaidOut = { tensor, layout: nhwc ? 'nhwc' : 'onnx' };
          const shape = logicalShapeOf(value);
          if (
            shape.length !== input.shape.length ||
            input.shape.some((d, i) => d !== 'N' && d !== shape[i])
          ) {
            throw new Error(
              `input ${input.name} must have shape [${input.shape.join(', ')}] (ONNX layout), got [${shape.join(', ')}]`,
            );
          }
          if (input.shape[0] === 'N') batch = shape[0] ?? 1;
          env.set(input.name, value);
        }
        for (const step of steps) {
          const results = step.run(
            step.inputs.map((name) => (name === '' ? undefined : env.get(name))),
            { batch },
          );
          step.outputs.forEach((name, i) => {
            const value = results[i];
            if (value !== undefined && name !== '') env.set(name, value);
          });
        }
        const out = new Map<string, tf.Tensor>();
        for (const [output, value] of outputValues) {
          const v = env.get(value);
          if (v === undefined) throw new Error(`output ${output} was not computed`);
          out.set(output, logical(v));
        }
        for (const name of extraOutputs) {
          const v = env.get(name);
          if (v === undefined) throw new Error(`value ${name} was not computed`);
          out.set(name, logical(v));
        }
        return out;
      },
      dispose() {
        for (const t of owned) t.dispose();
      },
    };
  } catch (error) {
    for (const env of probes) for (const v of env.values()) v.tensor.dispose();
    for (const t of owned) t.dispose();
    if (error instanceof Refusal) throw new OnnxImportError('(graph)', '-', error.message);
    throw error;
  }
}
