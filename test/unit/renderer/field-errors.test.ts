/**
 * A refused start shows each problem under the field that produced it, in the user's words; only
 * what no field on screen fills reaches the banner (issue 12 §21).
 */
import { describe, expect, it } from 'vitest';
import { atField, placeIssues } from '../../../src-renderer/src/lib/field-issues';
import { FieldErrors } from '../../../src-renderer/src/state/field-errors.svelte';

/** A refusal as lib/api's WorkbenchError carries it (that module needs a browser to load). */
const refusal = Object.assign(
  new Error(
    'jobs.startAttack: ε must be greater than 0 (perturbation.epsilon); restarts must be at least 1 (restarts)',
  ),
  {
    issues: [
      { path: ['perturbation', 'epsilon'], message: 'ε must be greater than 0' },
      { path: ['restarts'], message: 'restarts must be at least 1' },
    ],
  },
);

describe('placeIssues', () => {
  it('gives an issue to the field with the longest key its path starts with', () => {
    const placed = placeIssues(
      [
        { path: ['learningRateSchedule', 'milestones', 2], message: 'milestone 3 is past the end' },
        { path: ['adversarial', 'epsilon'], message: 'ε must be greater than 0' },
      ],
      ['learningRateSchedule.milestones', 'adversarial', 'adversarial.epsilon'],
    );
    expect(placed).toEqual({
      atFields: {
        'learningRateSchedule.milestones': 'milestone 3 is past the end',
        'adversarial.epsilon': 'ε must be greater than 0',
      },
      elsewhere: [],
    });
  });

  it('does not take a field whose name merely begins the same way', () => {
    const placed = placeIssues([{ path: ['seedDownsample'], message: 'too large' }], ['seed']);
    expect(placed).toEqual({ atFields: {}, elsewhere: ['too large'] });
  });

  it('strips the prefix of a form wrapped in the call input', () => {
    const placed = placeIssues(
      [
        { path: ['source', 'folder'], message: 'a file path is required' },
        { path: ['name'], message: 'a name is required' },
      ],
      ['folder'],
      'source',
    );
    expect(placed).toEqual({
      atFields: { folder: 'a file path is required' },
      elsewhere: ['a name is required'],
    });
  });
});

describe('FieldErrors', () => {
  it('shows each issue at its registered field and leaves nothing for the banner', () => {
    const errors = new FieldErrors();
    errors.register('perturbation.epsilon');
    errors.register('restarts');
    expect(errors.report(refusal)).toBeNull();
    expect(errors.message('perturbation.epsilon')).toBe('ε must be greater than 0');
    expect(errors.message('restarts')).toBe('restarts must be at least 1');
  });

  it('sends a problem with a field not on screen to the banner, without internal names', () => {
    const errors = new FieldErrors();
    const off = errors.register('restarts');
    errors.register('perturbation.epsilon');
    off();
    expect(errors.report(refusal)).toBe('restarts must be at least 1');
    expect(errors.message('restarts')).toBeUndefined();
  });

  it('passes an error without issues to the banner whole and clears the old messages', () => {
    const errors = new FieldErrors();
    errors.register('restarts');
    errors.report(refusal);
    expect(errors.report(new Error('the model 7 does not exist'))).toBe(
      'the model 7 does not exist',
    );
    expect(errors.any).toBe(false);
  });

  it('shows a field the form parses itself under that field', () => {
    const errors = new FieldErrors();
    errors.register('indices');
    const parse = () =>
      atField('indices', () => {
        throw new Error('“x” is not an image index (a whole number)');
      });
    let thrown: unknown;
    try {
      parse();
    } catch (error) {
      thrown = error;
    }
    expect(errors.report(thrown)).toBeNull();
    expect(errors.message('indices')).toBe('“x” is not an image index (a whole number)');
  });
});
