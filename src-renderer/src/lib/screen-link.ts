/**
 * The screen as a link: `#/project=<path>&tab=features&run=12`. The page writes it as the
 * person moves (history.replaceState: no history entry per click) and reads it on load, so a
 * reload, a bookmark or the address pasted into a new launch reopens the project, tab and run.
 */
export interface ScreenLink {
  project: string | null;
  tab: string | null;
  run: number | null;
}

export function formatScreenLink(link: ScreenLink): string {
  if (link.project === null) return '';
  const parts = new URLSearchParams({ project: link.project });
  if (link.tab !== null) parts.set('tab', link.tab);
  if (link.run !== null) parts.set('run', String(link.run));
  return `#/${parts.toString()}`;
}

/** Reads a link; anything unreadable is left out rather than guessed. */
export function parseScreenLink(hash: string): ScreenLink {
  const body = hash.replace(/^#\/?/, '');
  const parts = new URLSearchParams(body);
  const run = Number(parts.get('run'));
  return {
    project: parts.get('project') || null,
    tab: parts.get('tab') || null,
    run: Number.isInteger(run) && run > 0 ? run : null,
  };
}
