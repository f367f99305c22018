/**
 * The CLI and the UI start from the same settings (issue 12 §23): the renderer's form state is
 * built as the app builds it and compared with what the CLI's parsers produce with no options,
 * and neither client may carry a numeric default of its own (common/*-defaults.ts hold them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackDefaults, evaluationDefaults } from '../../../../src-main/common/attack-defaults';
import {
  defaultOptions,
  methodDescriptors,
} from '../../../../src-main/common/attacks/attack-registry';
import {
  attackConfigProblems,
  EvaluationConfig,
  EvaluationConstraint,
} from '../../../../src-main/common/evaluation-schemas';
import type { ConstraintName } from '../../../../src-main/common/attacks/threat-models';
import type { DatasetSummary } from '../../../../src-main/common/dataset-schemas';
import { trainingFormDefaults } from '../../../../src-main/common/training-defaults';
import { CliArguments } from '../../../../src-main/shells/cli/cli-arguments';
import { attackConfig, imageChoice } from '../../../../src-main/shells/cli/commands/attack-command';
import { evaluationConfig } from '../../../../src-main/shells/cli/commands/eval-command';
import { trainingConfig } from '../../../../src-main/shells/cli/commands/train-command';
import { AttackForm } from '../../../../src-renderer/src/state/attack-state.svelte';
import { EvaluationForm } from '../../../../src-renderer/src/state/evaluation-state.svelte';
import { TrainForm } from '../../../../src-renderer/src/state/train-state.svelte';

const mnist: DatasetSummary = {
  id: 1,
  name: 'mnist',
  imageShape: [28, 28, 1],
  count: 10_000,
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  classCounts: { train: [], test: [] },
  split: { method: 'seeded', seed: 0, train: 8000, test: 2000 },
  source: 'test',
};

const cli = (...argv: string[]) => new CliArguments(argv);

describe('CLI and UI defaults', () => {
  it('train the same standard and robust model', () => {
    const form = new TrainForm();
    expect(trainingConfig(cli(), mnist)).toEqual(form.toConfig(mnist.id));
    for (const constraint of ['linf', 'l2'] as const) {
      form.robust = true;
      form.adversarial.chooseConstraint(constraint);
      expect(trainingConfig(cli('--robust', constraint), mnist)).toEqual(form.toConfig(mnist.id));
    }
    // The model's name, when none is typed: the Train tab used to send "model" for every one.
    expect(form.toConfig(mnist.id).modelName).toBe('robust small-cnn');
    form.robust = false;
    expect(form.toConfig(mnist.id).modelName).toBe('small-cnn');
    // The values that make a working robust model: 7 steps of ε/3 after one warm-up epoch.
    expect(trainingConfig(cli('--robust', 'linf'), mnist)).toMatchObject({
      adversarial: { epsilon: 0.3, steps: 7, stepSize: 0.1 },
      epsilonWarmupEpochs: 1,
    });
  });

  it('attack with the same threat model per constraint', () => {
    const form = new AttackForm();
    for (const constraint of ['linf', 'l2', 'unconstrained'] satisfies ConstraintName[]) {
      form.perturbation.chooseConstraint(constraint);
      const fromCli = attackConfig(cli('--constraint', constraint), 1, mnist);
      expect(fromCli.perturbation).toEqual(form.perturbation.toConfig());
      expect(fromCli).toMatchObject({
        method: form.method,
        restarts: form.restarts,
        seed: form.seed,
        loss: form.loss,
        ...form.fields,
        targetClass: null,
      });
    }
    expect(imageChoice(cli(), mnist)).toEqual({ count: form.count });
    expect(attackConfig(cli('--constraint', 'unconstrained'), 1, mnist).perturbation.epsilon).toBe(
      0.5,
    );
    form.chooseMethod('apgd-ce');
    const apgd = attackConfig(cli('--method', 'apgd-ce'), 1, mnist);
    expect(apgd.perturbation.steps).toBe(form.perturbation.steps);
  });

  it('attack and evaluate alike with no option at all', () => {
    const attack = new AttackForm();
    const fromCli = attackConfig(cli(), 1, mnist);
    expect(fromCli.perturbation).toEqual(attack.perturbation.toConfig());
    expect(fromCli).toMatchObject({ method: attack.method, ...attack.fields, targetClass: null });
    const evaluation = new EvaluationForm();
    const evaluated = EvaluationConfig.parse(evaluationConfig(cli(), 1, mnist));
    expect(evaluated).toMatchObject({
      count: evaluation.count,
      constraint: evaluation.constraint,
      transferModelId: evaluation.transferModelId,
      seed: evaluation.seed,
    });
    expect(evaluated.epsilons.join(', ')).toBe(evaluation.epsilonsText);
    expect(evaluated.attacks).toEqual(evaluation.attacks());
  });

  it('evaluate with the same images, ε and attacks', () => {
    const form = new EvaluationForm();
    for (const constraint of ['linf', 'l2'] as const) {
      form.chooseConstraint(constraint);
      const fromCli = EvaluationConfig.parse(
        evaluationConfig(cli('--constraint', constraint), 1, mnist),
      );
      expect(fromCli.count).toBe(form.count);
      expect(fromCli.epsilons.join(', ')).toBe(form.epsilonsText);
      expect(fromCli.attacks).toEqual(form.attacks());
      expect(fromCli.seed).toBe(form.seed);
    }
  });

  it('leaves no numeric default literal in either client', () => {
    const files = [
      'src-renderer/src/state/train-state.svelte.ts',
      'src-renderer/src/state/attack-state.svelte.ts',
      'src-renderer/src/state/evaluation-state.svelte.ts',
      'src-renderer/src/state/perturbation-form.svelte.ts',
      'src-main/shells/cli/commands/train-command.ts',
      'src-main/shells/cli/commands/attack-command.ts',
      'src-main/shells/cli/commands/eval-command.ts',
      'src-main/shells/cli/commands/perturbation-options.ts',
    ];
    // A form field initialized with a number, or an option read with a number as its fallback.
    const literal =
      /\$state<number \| null>\(\s*-?[\d.]|args\.number\([^)]*,\s*-?[\d.][\d_.]*\s*\)/;
    for (const file of files) {
      const found = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => literal.test(line));
      expect({ file, found }).toEqual({ file, found: [] });
    }
    expect(trainingFormDefaults.robust.steps).toBe(7);
    expect(attackDefaults.threatModels.unconstrained.epsilon).toBe(0.5);
    expect(evaluationDefaults.attacks).toContain('apgd-t');
  });
});

describe('CLI and UI attack defaults, for every method and constraint', () => {
  for (const method of methodDescriptors) {
    const constraints = Object.keys(method.threatModels) as ConstraintName[];
    it(`${method.name}: the Attack tab and rfw attack under ${constraints.join(', ')}`, () => {
      for (const constraint of constraints) {
        const form = new AttackForm();
        form.chooseMethod(method.name);
        form.perturbation.chooseConstraint(constraint);
        const fromCli = attackConfig(
          cli('--method', method.name, '--constraint', constraint),
          1,
          mnist,
        );
        const where = { method: method.name, constraint };
        expect({ ...where, perturbation: fromCli.perturbation }).toEqual({
          ...where,
          perturbation: form.perturbation.toConfig(),
        });
        expect(fromCli).toMatchObject({
          method: form.method,
          restarts: form.restarts,
          seed: form.seed,
          loss: form.loss,
          ...form.fields,
          targetClass: null,
        });
        // Both start from the method's own threat model and step count, which it accepts.
        expect(fromCli.perturbation).toMatchObject(method.threatModels[constraint] ?? {});
        expect(fromCli.perturbation.steps).toBe(method.job.steps?.default ?? attackDefaults.steps);
        expect(attackConfigProblems({ ...fromCli, indices: [0] })).toEqual([]);
      }
    });

    const norms = EvaluationConstraint.options.filter((norm) => norm in method.threatModels);
    it(`${method.name}: the Evaluate tab and rfw eval under ${norms.join(', ')}`, () => {
      for (const constraint of norms) {
        const form = new EvaluationForm();
        form.chooseConstraint(constraint);
        for (const other of methodDescriptors) form.chosen[other.name] = other === method;
        const fromCli = EvaluationConfig.parse(
          evaluationConfig(cli('--constraint', constraint, '--attacks', method.name), 1, mnist),
        );
        expect(fromCli.attacks).toEqual(form.attacks());
        expect(fromCli.attacks).toEqual([defaultOptions(method.name)]);
      }
    });
  }
});
