/**
 * Typed reads of a node's attributes. Each op translator lists the attributes it understands;
 * a node with any other attribute is refused rather than run with that attribute ignored.
 */
import type { AttributeProto } from './onnx-proto';
import { hostTensor, type HostTensor } from './onnx-tensor';
import { Refusal } from './values';

/** AttributeProto.AttributeType values. */
const AttributeType = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

export class NodeAttributes {
  private readonly byName: ReadonlyMap<string, AttributeProto>;

  constructor(attributes: readonly AttributeProto[]) {
    this.byName = new Map(attributes.map((a) => [a.name ?? '', a]));
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private get(name: string, type: number, typeName: string): AttributeProto | undefined {
    const attribute = this.byName.get(name);
    if (attribute === undefined) return undefined;
    if (attribute.refAttrName !== undefined && attribute.refAttrName !== '') {
      throw new Refusal(`attribute ${name} refers to a function attribute`);
    }
    if (attribute.type !== undefined && attribute.type !== type) {
      throw new Refusal(`attribute ${name} must be ${typeName}, got type ${attribute.type}`);
    }
    return attribute;
  }

  int(name: string, fallback: number): number {
    return this.get(name, AttributeType.int, 'an int')?.i ?? fallback;
  }

  float(name: string, fallback: number): number {
    return this.get(name, AttributeType.float, 'a float')?.f ?? fallback;
  }

  string(name: string, fallback: string): string {
    const bytes = this.get(name, AttributeType.string, 'a string')?.s;
    return bytes === undefined ? fallback : new TextDecoder().decode(bytes);
  }

  ints(name: string): number[] | undefined {
    return this.get(name, AttributeType.ints, 'ints')?.ints.map(Number);
  }

  floats(name: string): number[] | undefined {
    return this.get(name, AttributeType.floats, 'floats')?.floats;
  }

  tensor(name: string): HostTensor | undefined {
    const t = this.get(name, AttributeType.tensor, 'a tensor')?.t;
    return t === undefined ? undefined : hostTensor(t);
  }
}

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: NodeAttributes;
  /** Set by the import's Conv → Relu fusion: the Conv applies the ReLU in its kernel. */
  readonly fusedActivation?: 'relu';
}
