/**
 * The screen survives a reload (issue 12 §19): the address carries project, tab and run, and the
 * forms as typed are kept; a lost server is named plainly (§20).
 */
import { describe, expect, it } from 'vitest';
import { formatScreenLink, parseScreenLink } from '../../../src-renderer/src/lib/screen-link';
import { restoreForm, snapshotForm } from '../../../src-renderer/src/lib/form-snapshot';
import { connectionNotice, probeServer } from '../../../src-renderer/src/lib/connection-notice';
import { AttackForm } from '../../../src-renderer/src/state/attack-state.svelte';
import { FormMemory, type FormStore } from '../../../src-renderer/src/state/form-memory';

describe('screen link', () => {
  it('round-trips a project path with spaces, &, = and #', () => {
    const link = { project: '/home/a b/x&y=z#1.rfw', tab: 'features', run: 12 };
    const hash = formatScreenLink(link);
    expect(hash.startsWith('#/project=')).toBe(true);
    expect(parseScreenLink(hash)).toEqual(link);
  });

  it('is empty without a project and ignores what it cannot read', () => {
    expect(formatScreenLink({ project: null, tab: 'train', run: 3 })).toBe('');
    expect(parseScreenLink('#/project=%2Fp.rfw&run=abc')).toEqual({
      project: '/p.rfw',
      tab: null,
      run: null,
    });
    expect(parseScreenLink('')).toEqual({ project: null, tab: null, run: null });
  });
});

class MemoryStorage implements FormStore {
  readonly #items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}

describe('form memory', () => {
  it('keeps every field of a form, nested threat model included, per project', () => {
    const typed = new AttackForm();
    typed.method = 'square';
    typed.indicesText = '3, 5';
    typed.imageChoice = 'indices';
    typed.perturbation.epsilon = 0.123;
    typed.perturbation.steps = 17;
    const memory = new FormMemory(new MemoryStorage());
    memory.save('/p.rfw', { attack: typed });

    const reloaded = new AttackForm();
    memory.restore('/other.rfw', { attack: reloaded });
    expect(reloaded.perturbation.epsilon).not.toBe(0.123);
    memory.restore('/p.rfw', { attack: reloaded });
    expect(snapshotForm(reloaded)).toEqual(snapshotForm(typed));
    expect(reloaded.perturbation.steps).toBe(17);
    expect(reloaded.indicesText).toBe('3, 5');
  });

  it('skips fields of another type or unknown to the form', () => {
    const form = new AttackForm();
    restoreForm(form, { seed: 'seven', unknown: 1, perturbation: { epsilon: 0.5 } });
    expect(form.seed).not.toBe('seven');
    expect(form.perturbation.epsilon).toBe(0.5);
  });
});

describe('connection notice', () => {
  it('tells a stopped server from a new launch', async () => {
    const refused = () => Promise.resolve({ status: 403 });
    const gone = () => Promise.reject(new TypeError('Failed to fetch'));
    const fine = () => Promise.resolve({ status: 200 });
    expect(await probeServer('http://127.0.0.1:1', 't', refused)).toBe('refused');
    expect(await probeServer('http://127.0.0.1:1', 't', gone)).toBe('silent');
    expect(await probeServer('http://127.0.0.1:1', 't', fine)).toBe('answers');
  });

  it('says where the server was and how to come back to this screen', () => {
    const stopped = connectionNotice('stopped', '127.0.0.1:5000', '#/project=%2Fp.rfw');
    expect(stopped.title).toBe(
      'The workbench stopped — its server at 127.0.0.1:5000 no longer answers.',
    );
    expect(stopped.advice).toContain('npm start');
    expect(stopped.advice).toContain('#/project=%2Fp.rfw');
    expect(connectionNotice('refused', '127.0.0.1:5000', '').title).toContain('started again');
  });
});
