/**
 * The engine's half of every attack method, by name: what the attack job, the evaluation and its
 * sanity checks run. Typed against the pure registry (common/attacks/attack-registry.ts), so the
 * compiler refuses a method that one side has and the other lacks, or a run function that takes
 * another method's options.
 */
import type { AttackMethodName, MethodOptions } from '../../../common/attacks/attack-registry';
import { apgdCeMethod } from './apgd-ce';
import { apgdTargetedMethod } from './apgd-t';
import { fabTargetedMethod } from './fab-t';
import { fgsmMethod } from './fgsm';
import type { EngineMethod } from './method-run';
import { pgdMethod } from './pgd';
import { squareMethod } from './square';

export const engineMethods = {
  fgsm: fgsmMethod,
  pgd: pgdMethod,
  'apgd-ce': apgdCeMethod,
  'apgd-t': apgdTargetedMethod,
  'fab-t': fabTargetedMethod,
  square: squareMethod,
} satisfies { [M in AttackMethodName]: EngineMethod<MethodOptions<M>> };

/** The engine's half of a method, typed for code that does not know which. */
export function engineMethod(method: AttackMethodName): EngineMethod<MethodOptions> {
  return engineMethods[method];
}
