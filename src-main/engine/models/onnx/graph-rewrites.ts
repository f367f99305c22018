/**
 * Rewrites of the node list before translation:
 * - a Softmax or LogSoftmax that produces a graph output is removed (the workbench's losses and
 *   attacks need logits), and the output reads the op's input instead; a note says so;
 * - a Conv whose only consumer is a Relu takes the ReLU into its FusedConv2D kernel (unless the
 *   Conv's output is a graph output or a value kept for the caller).
 */
import type { OnnxNode } from './attributes';

export interface RewrittenGraph {
  nodes: OnnxNode[];
  /** graph output name → the value it now reads */
  outputs: Map<string, string>;
  notes: string[];
}

function consumers(nodes: readonly OnnxNode[], value: string): OnnxNode[] {
  return nodes.filter((n) => n.inputs.includes(value));
}

export function rewriteGraph(
  nodes: readonly OnnxNode[],
  graphOutputs: readonly string[],
  stripOutputSoftmax: boolean,
  /** Values that must stay computed (returned besides the outputs): never fused away. */
  keptValues: readonly string[] = [],
): RewrittenGraph {
  let current = [...nodes];
  const outputs = new Map(graphOutputs.map((o) => [o, o]));
  const notes: string[] = [];
  if (stripOutputSoftmax) {
    for (const output of graphOutputs) {
      const producer = current.find((n) => n.outputs.includes(output));
      if (producer === undefined || !['Softmax', 'LogSoftmax'].includes(producer.opType)) continue;
      const input = producer.inputs[0];
      if (input === undefined || consumers(current, output).length > 0) continue;
      current = current.filter((n) => n !== producer);
      outputs.set(output, input);
      notes.push(
        `The final ${producer.opType} "${producer.name}" was stripped: the model gives logits (attacks and losses need them).`,
      );
    }
  }
  const outputValues = new Set([...outputs.values(), ...keptValues]);
  const fused: OnnxNode[] = [];
  const removed = new Set<OnnxNode>();
  for (const node of current) {
    if (removed.has(node)) continue;
    const y = node.outputs[0];
    if (
      node.opType === 'Conv' &&
      y !== undefined &&
      node.outputs.length === 1 &&
      !outputValues.has(y)
    ) {
      const users = consumers(current, y);
      const relu = users[0];
      if (users.length === 1 && relu?.opType === 'Relu' && relu.attributes.names().length === 0) {
        fused.push({ ...node, outputs: relu.outputs, fusedActivation: 'relu' });
        removed.add(relu);
        continue;
      }
    }
    fused.push(node);
  }
  return { nodes: fused, outputs, notes };
}
