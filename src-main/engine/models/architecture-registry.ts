/**
 * Architectures by name, in the manner of tfjs-core's kernel registry: registering a name twice
 * throws instead of silently replacing a model family that saved weights depend on.
 */
import type { ArchitectureName } from '../../common/model-schemas';
import { cifarCnn } from './cifar-cnn';
import { layersArchitecture } from './layers-model/layers-architecture';
import { madryCnn } from './madry-cnn';
import { mlp } from './mlp';
import { onnxArchitecture } from './onnx/onnx-architecture';
import type { ArchitectureDefinition } from './model-types';
import { preactResnet } from './preact-resnet';
import { smallCnn } from './small-cnn';

export class ArchitectureRegistry {
  private readonly byName = new Map<string, ArchitectureDefinition>();

  register(definition: ArchitectureDefinition): void {
    if (this.byName.has(definition.name)) {
      throw new Error(`architecture ${definition.name} is already registered`);
    }
    this.byName.set(definition.name, definition);
  }

  get(name: ArchitectureName | string): ArchitectureDefinition {
    const definition = this.byName.get(name);
    if (definition === undefined) {
      throw new Error(`unknown architecture ${name}; known: ${[...this.byName.keys()].join(', ')}`);
    }
    return definition;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

export function createBuiltinRegistry(): ArchitectureRegistry {
  const registry = new ArchitectureRegistry();
  registry.register(smallCnn);
  registry.register(madryCnn);
  registry.register(cifarCnn);
  registry.register(mlp);
  registry.register(preactResnet);
  registry.register(layersArchitecture);
  registry.register(onnxArchitecture);
  return registry;
}

/** The registry the jobs use. */
export const architectures = createBuiltinRegistry();
