/**
 * What the page says when it lost the workbench (browser shell only). A closed socket alone does
 * not say why: the page asks the server over plain HTTP. No answer at all means the server
 * stopped; a 403 means a server is there but refuses this page's token, i.e. the workbench was
 * started again (every launch makes a new token), and retrying can never succeed.
 */
export type ServerAnswer = 'answers' | 'silent' | 'refused';

/** What the probe needs of `fetch` (this file is also type-checked without the DOM's types). */
export type FetchPage = (url: string, init: { cache: 'no-store' }) => Promise<{ status: number }>;

const browserFetch: FetchPage = (url, init) => fetch(url, init as RequestInit);

/** Asks the server whether it is there and still takes `token`. */
export async function probeServer(
  origin: string,
  token: string,
  fetchPage: FetchPage = browserFetch,
): Promise<ServerAnswer> {
  try {
    // no-store: a cached page would answer for a server that is gone.
    const response = await fetchPage(`${origin}/?token=${encodeURIComponent(token)}`, {
      cache: 'no-store',
    });
    return response.status === 403 ? 'refused' : 'answers';
  } catch {
    return 'silent';
  }
}

export interface ConnectionNotice {
  title: string;
  /** What to do, in steps the person can follow. */
  advice: string;
}

/**
 * `host`: the server's address as the page knows it (127.0.0.1:PORT); `place`: the URL's hash,
 * which reopens this screen (project, tab, run) when added to the new address.
 */
export function connectionNotice(
  state: 'stopped' | 'refused',
  host: string,
  place: string,
): ConnectionNotice {
  const comeBack =
    place.length > 1
      ? ` To come back to this screen, add ${place} to the end of that address.`
      : '';
  if (state === 'stopped') {
    return {
      title: `The workbench stopped — its server at ${host} no longer answers.`,
      advice: `Start it again with \`npm start\` (or the app), then open the new address it prints.${comeBack} Nothing can be started from this page until then.`,
    };
  }
  return {
    title: `The workbench was started again — the server at ${host} refuses this page, which belongs to the previous launch.`,
    advice: `Open the new address the workbench printed when it started (the one ending in ?token=…).${comeBack}`,
  };
}
