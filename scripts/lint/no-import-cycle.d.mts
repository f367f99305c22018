// Types of no-import-cycle.mjs, for its test.
import type { ESLint, Rule } from 'eslint';

export const noImportCycle: Rule.RuleModule;
export const workbenchPlugin: ESLint.Plugin;
