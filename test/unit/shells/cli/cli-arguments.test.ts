import { describe, expect, it } from 'vitest';
import { CliArguments } from '../../../../src-main/shells/cli/cli-arguments';

describe('CLI arguments', () => {
  it('reads values, numbers and flags', () => {
    const args = new CliArguments(['--project', 'p.rfw', '--eps', '0.3', '--no-random-start']);
    expect(args.string('project')).toBe('p.rfw');
    expect(args.number('eps', 1)).toBe(0.3);
    expect(args.number('steps', 40)).toBe(40);
    expect(args.flag('no-random-start')).toBe(true);
    expect(() => args.rejectUnknown()).not.toThrow();
  });

  it('says which option is wrong', () => {
    expect(() => new CliArguments(['stray'])).toThrow('unexpected argument "stray"');
    expect(() => new CliArguments(['--eps', 'abc']).number('eps', 0)).toThrow(
      '--eps must be a number (got "abc")',
    );
    expect(() => new CliArguments(['--project']).string('project')).toThrow(
      '--project needs a value',
    );
    const typo = new CliArguments(['--epohcs', '3']);
    expect(() => typo.rejectUnknown()).toThrow('unknown option: --epohcs');
  });
});
