import { describe, expect, it } from 'vitest';
import { rangeOf } from '../../../../src-main/common/number-range';
import { epsilonRange } from '../../../../src-main/common/perturbation-limits';
import { PerturbationSet } from '../../../../src-main/common/attack-schemas';
import { CliArguments } from '../../../../src-main/shells/cli/cli-arguments';
import { ranges } from '../../../../src-main/shells/cli/option-ranges';

const anyNumber = { integer: false };

describe('CLI arguments', () => {
  it('reads values, numbers and flags', () => {
    const args = new CliArguments(['--project', 'p.rfw', '--eps', '0.3', '--no-random-start']);
    expect(args.string('project')).toBe('p.rfw');
    expect(args.number('eps', anyNumber, 1)).toBe(0.3);
    expect(args.number('steps', ranges.steps, 40)).toBe(40);
    expect(args.flag('no-random-start')).toBe(true);
    expect(() => args.rejectUnknown()).not.toThrow();
  });

  it('says which option is wrong', () => {
    expect(() => new CliArguments(['stray'])).toThrow('unexpected argument "stray"');
    expect(() => new CliArguments(['--eps', 'abc']).number('eps', anyNumber, 0)).toThrow(
      '--eps must be a number (got "abc")',
    );
    expect(() => new CliArguments(['--project']).string('project')).toThrow(
      '--project needs a value',
    );
    const typo = new CliArguments(['--epohcs', '3']);
    expect(() => typo.rejectUnknown()).toThrow('unknown option: --epohcs');
  });

  it('refuses a number outside the range the contract gives, in one line naming the option', () => {
    const read =
      (range: Parameters<CliArguments['number']>[1], ...argv: string[]) =>
      () =>
        new CliArguments(argv).number(argv[0]?.slice(2) ?? '', range);
    // The schema's bounds, read from it: PerturbationSet.steps is a whole number in 1..10000.
    expect(rangeOf(PerturbationSet.shape.steps)).toEqual({
      integer: true,
      low: 1,
      lowOpen: false,
      high: 10_000,
      highOpen: false,
    });
    expect(read(ranges.steps, '--steps', '0')).toThrow(
      '--steps must be an integer from 1 to 10000 (got 0)',
    );
    expect(read(ranges.steps, '--steps', '2.5')).toThrow('--steps must be an integer');
    expect(read(ranges.restarts, '--restarts', '1e9')).toThrow(
      '--restarts must be an integer from 1 to 100 (got 1e9)',
    );
    expect(read(ranges.training.learningRate, '--lr', '0')).toThrow(
      '--lr must be a number greater than 0 (got 0)',
    );
    expect(read(ranges.training.learningRate, '--lr', 'Infinity')).toThrow('--lr must be');
    expect(read(ranges.seed, '--seed', '1.5')).toThrow('--seed must be an integer (got 1.5)');
    expect(read(ranges.squareInitialFraction, '--p-init', '2')).toThrow(
      '--p-init must be a number in (0, 1] (got 2)',
    );
    // ε: L∞ at most 1 (pixels are in [0, 1]); L2 at most √(H·W·C).
    expect(read(epsilonRange('linf', [28, 28, 1]), '--eps', '1e30')).toThrow(
      '--eps must be a number in (0, 1] for linf (pixels are in [0, 1]; got 1e30)',
    );
    expect(read(epsilonRange('l2', [28, 28, 1]), '--eps', '28.5')).toThrow(
      '--eps must be a number in (0, 28] for l2 (√784, the largest L2 distance between two 28×28×1 images; got 28.5)',
    );
    expect(read(epsilonRange('l2', [28, 28, 1]), '--eps', '28')()).toBe(28);
  });

  it('checks lists, choices and required options', () => {
    const args = new CliArguments([
      '--images',
      '1, 2,x',
      '--arch',
      'nope',
      '--epsilons',
      '0,0.1,-1',
    ]);
    expect(() => args.numbers('images', ranges.imageIndex)).toThrow(
      '--images: "x" is not a number',
    );
    expect(() => args.numbers('epsilons', ranges.evaluation.epsilon)).toThrow(
      '--epsilons must be a number in [0, 1000] (got -1)',
    );
    expect(() => args.choice('arch', ['small-cnn', 'madry-cnn'])).toThrow(
      '--arch must be one of small-cnn, madry-cnn (got "nope")',
    );
    expect(() => args.requiredNumber('target', ranges.targetClass, 'CLASS')).toThrow(
      '--target CLASS is required',
    );
  });
});
