/**
 * The op translators, by ONNX op type, in the style of tfjs-core's kernel_registry: registering
 * an op type twice throws, so two families cannot silently claim the same op.
 */
import type { OnnxNode } from './attributes';
import type { OnnxOpType } from './onnx-op-catalog';
import type { Translation, ValueInfo } from './values';

export interface TranslateContext {
  /** The default-domain opset the model was exported with. */
  readonly opset: number;
}

export interface OpTranslator {
  readonly opType: OnnxOpType;
  /** The attributes it understands, onnxOpAttributes[opType]; a node with any other is refused. */
  readonly attributes: readonly string[];
  translate(
    node: OnnxNode,
    inputs: readonly (ValueInfo | undefined)[],
    context: TranslateContext,
  ): Translation;
}

export class OpRegistry {
  private readonly translators = new Map<string, OpTranslator>();

  register(translator: OpTranslator): void {
    if (this.translators.has(translator.opType)) {
      throw new Error(`ONNX op ${translator.opType} is already registered`);
    }
    this.translators.set(translator.opType, translator);
  }

  get(opType: string): OpTranslator | undefined {
    return this.translators.get(opType);
  }

  opTypes(): string[] {
    return [...this.translators.keys()].sort();
  }
}
