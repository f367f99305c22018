/**
 * The one place where the browser shell reads a request's target (the `/path?query` of the request
 * line). Node passes the target on exactly as the client wrote it, and the WHATWG URL parser
 * throws on some of what clients may send (`//` is a scheme-relative URL with an empty host), so
 * every handler goes through this and answers 400 to a null instead of throwing.
 */

export interface RequestTarget {
  /** The path, percent-decoded: `/assets/app.js`. */
  path: string;
  query: URLSearchParams;
}

/** Only the host part of this base is read: it must survive parsing unchanged. */
const base = new URL('http://127.0.0.1');

/**
 * The parsed target, or null where it is not a plain `/path?query`: targets starting `//` or `/\`
 * (which the URL parser reads as another host), absolute URLs, percent-encodings that do not
 * decode to UTF-8 (`/%E0%A4%A`), and NUL bytes (`/%00`, which no file name holds and which the
 * fs functions throw on).
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | null {
  if (target === undefined || !target.startsWith('/') || /^\/[/\\]/.test(target)) return null;
  let url: URL;
  let path: string;
  try {
    url = new URL(target, base);
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (url.host !== base.host || path.includes('\0')) return null;
  return { path, query: url.searchParams };
}
