// The requests to replay, one a line: either a path and query (`/api/users/?search=ada`, or a whole URL), or a
// web server's access-log line in the common or combined format, of which only the list endpoints' GET and
// HEAD requests are taken (`HEAD` is asked as `GET`: the body is compared too). Everything else is counted.

/** The paths of api.md's list endpoints, with the slash-less form that is answered 301. */
export const LIST_PATHS: ReadonlySet<string> = new Set(['/api/customers', '/api/customers/', '/api/users/', '/api/users']);

export type SkipReason = 'other path' | 'other method' | 'unreadable';
export type ReadLine = { target: string } | { skipped: SkipReason } | { blank: true };

// host ident authuser [date] "request" status bytes, then (combined) "referer" "user-agent".
const LOG_LINE = /^\S+ \S+ \S+ \[[^\]]*\] "((?:[^"\\]|\\.)*)" \d{3} \S+/;

/** What one line of a request file asks for. */
export function readRequestLine(line: string): ReadLine {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return { blank: true };
  const logged = LOG_LINE.exec(text);
  if (logged) return fromLogRequest(logged[1]!.replace(/\\(.)/g, '$1'));
  const target = targetOf(text);
  return target === undefined ? { skipped: 'unreadable' } : { target };
}

/** `GET /api/users/?x=1 HTTP/1.1` from a log line: taken when it is a list endpoint's GET or HEAD. */
function fromLogRequest(request: string): ReadLine {
  const [method, rawTarget, ...rest] = request.split(' ');
  if (rawTarget === undefined || rest.length > 1) return { skipped: 'unreadable' };
  if (method !== 'GET' && method !== 'HEAD') return { skipped: 'other method' };
  const target = targetOf(rawTarget);
  if (target === undefined) return { skipped: 'unreadable' };
  return LIST_PATHS.has(pathOf(target)) ? { target } : { skipped: 'other path' };
}

/** The path and query of `/path?query` or of a whole http(s) URL; undefined for anything else. */
function targetOf(text: string): string | undefined {
  if (/\s/.test(text)) return undefined;
  if (text.startsWith('/') && !text.startsWith('//')) return text;
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined; // not a URL: the line is counted as unreadable
  }
}

/** The path of a target, without its query string. */
export const pathOf = (target: string) => target.split('?')[0]!;

/** The names of the parameters a target gives a value (api.md: an empty value counts as not given). */
export function parametersOf(target: string): string[] {
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  const last = new Map<string, string>(); // a parameter given twice takes its last value (api.md)
  for (const [name, value] of new URLSearchParams(query)) last.set(name, value);
  return [...last].filter(([, value]) => value !== '').map(([name]) => name).sort();
}
