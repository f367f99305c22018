/**
 * The attack registry's pure half (common/attacks): one descriptor per method, and everything
 * that lists methods — the contract's enums, the evaluation's attack list and defaults, the CLI's
 * options, the forms — reads the same set from it.
 */
import { describe, expect, it } from 'vitest';
import { evaluationDefaults } from '../../../src-main/common/attack-defaults';
import {
  attackDescriptors,
  attackJobFields,
  attackMethodNames,
  defaultOptions,
  methodDescriptors,
  optionSchema,
} from '../../../src-main/common/attacks/attack-registry';
import {
  attackConfigProblems,
  EvaluationAttackConfig,
  EvaluationMethod,
  withAttackDefaults,
} from '../../../src-main/common/evaluation-schemas';
import { rangeOf } from '../../../src-main/common/number-range';
import { AttackConfig, AttackMethod } from '../../../src-main/common/attack-schemas';
import { ConstraintName } from '../../../src-main/common/attacks/threat-models';
import { ranges } from '../../../src-main/shells/cli/option-ranges';
import { evaluationMethods } from '../../../src-renderer/src/state/evaluation-state.svelte';
import { evaluationColorSlots } from '../../../src-renderer/src/lib/series-style';

const names = methodDescriptors.map((method) => method.name);

describe('the attack registry', () => {
  it('names each method once, under its own name, in the enums the contract checks', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(attackMethodNames).toEqual(names);
    expect(AttackMethod.options).toEqual(names);
    for (const [name, method] of Object.entries(attackDescriptors)) expect(method.name).toBe(name);
  });

  it('offers in the evaluation exactly the registered methods', () => {
    expect(EvaluationMethod.options).toEqual(names);
    expect(EvaluationAttackConfig.options.map((option) => option.shape.method.value)).toEqual(
      names,
    );
    expect(evaluationMethods.map((choice) => choice.method)).toEqual(names);
    for (const method of evaluationDefaults.attacks) expect(names).toContain(method);
  });

  it("runs AutoAttack's standard attacks by default, in its order", () => {
    const standard = evaluationDefaults.attacks.filter((method) =>
      ['apgd-ce', 'apgd-t', 'fab-t', 'square'].includes(method),
    );
    expect(standard).toEqual(['apgd-ce', 'apgd-t', 'fab-t', 'square']);
  });

  it('gives every method options with defaults, a name for its curve and a cost', () => {
    for (const method of methodDescriptors) {
      const options = defaultOptions(method.name);
      expect(options.method).toBe(method.name);
      expect(EvaluationAttackConfig.parse({ method: method.name })).toEqual(options);
      expect(method.curveName(options)).toMatch(new RegExp(`^${method.label}`));
      const { runs, stepsPerRun } = method.progress(options, 10);
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(stepsPerRun).toBeGreaterThanOrEqual(1);
      expect(method.cost(options, 10)).toBeGreaterThan(0);
      for (const setting of method.settings) expect(Object.keys(options)).toContain(setting.key);
    }
  });

  it('gives the methods that share a CLI option the same bounds for it', () => {
    const seen = new Map<string, unknown>();
    for (const method of methodDescriptors) {
      for (const setting of method.settings) {
        const range = rangeOf(optionSchema(method.name, setting.key));
        if (!seen.has(setting.flag)) seen.set(setting.flag, range);
        expect({ method: method.name, flag: setting.flag, range }).toEqual({
          method: method.name,
          flag: setting.flag,
          range: seen.get(setting.flag),
        });
      }
    }
    expect(Object.keys(ranges.evaluation.attackOptions)).toEqual([...seen.keys()]);
  });

  it("puts each method's own fields in AttackConfig, each with its own CLI option", () => {
    const fieldNames = attackJobFields.map((field) => field.name);
    expect(new Set(fieldNames).size).toBe(fieldNames.length);
    expect(new Set(attackJobFields.map((field) => field.flag)).size).toBe(fieldNames.length);
    for (const field of attackJobFields) {
      expect(Object.keys(AttackConfig.shape)).toContain(field.name);
      expect(field.schema.safeParse(field.default).success).toBe(true);
      expect(ranges[field.name]).toEqual(rangeOf(AttackConfig.shape[field.name]));
    }
    // A config saved without them reads as their defaults.
    const saved = AttackConfig.parse({
      modelId: 1,
      datasetId: 1,
      indices: [0],
      method: 'pgd',
      perturbation: {
        constraint: 'linf',
        epsilon: 0.3,
        steps: 40,
        stepSize: 0.01,
        randomStart: true,
      },
      restarts: 1,
      targetClass: null,
      seed: 0,
    });
    const filled = withAttackDefaults(saved);
    for (const field of attackJobFields) expect(filled[field.name]).toBe(field.default);
  });

  it('refuses what a method does not support, from its descriptor', () => {
    for (const method of methodDescriptors) {
      for (const constraint of ConstraintName.options) {
        const threat = method.threatModels[constraint];
        const config = {
          modelId: 1,
          datasetId: 1,
          indices: [0],
          method: method.name,
          perturbation: {
            constraint,
            epsilon: threat?.epsilon ?? 0.3,
            steps: 10,
            stepSize: threat?.stepSize ?? 0.01,
            randomStart: true,
          },
          restarts: 1,
          targetClass: method.targeted ? 1 : null,
          seed: 0,
        };
        const problems = attackConfigProblems(config);
        expect({ method: method.name, constraint, refused: problems.length > 0 }).toEqual({
          method: method.name,
          constraint,
          refused: threat === undefined,
        });
      }
    }
  });

  it('pins each method to its own colour, apart from the transfer curve', () => {
    const slots = Object.values(evaluationColorSlots);
    expect(new Set(slots).size).toBe(slots.length);
    for (const method of methodDescriptors)
      expect(evaluationColorSlots[method.name]).toBe(method.colorSlot);
  });
});
