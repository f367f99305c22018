/** The workbench version, recorded with every result (kept in step with package.json). */
export const appVersion = '0.1.0';
