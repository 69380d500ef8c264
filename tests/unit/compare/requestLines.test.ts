// Which lines of a request file compare asks, written out by hand from the common and combined log formats.
import { parametersOf, readRequestLine } from '../../../services/compare/requestLines';

describe('a request file', () => {
  it('takes a path and query as it is', () => {
    expect(readRequestLine('/api/users/?search=ada&limit=5')).toEqual({ target: '/api/users/?search=ada&limit=5' });
    expect(readRequestLine('  /api/customers  ')).toEqual({ target: '/api/customers' });
  });

  it('takes the path and query of a whole URL', () => {
    expect(readRequestLine('https://users.example.com/api/users/?ordering=-id')).toEqual({ target: '/api/users/?ordering=-id' });
  });

  it('passes over blank lines and # comments without counting them', () => {
    expect(readRequestLine('')).toEqual({ blank: true });
    expect(readRequestLine('   ')).toEqual({ blank: true });
    expect(readRequestLine('# from Tuesday')).toEqual({ blank: true });
  });

  it('counts a line that is neither a path nor a log line as unreadable', () => {
    expect(readRequestLine('api/users/')).toEqual({ skipped: 'unreadable' });
    expect(readRequestLine('//evil.example/api/users/')).toEqual({ skipped: 'unreadable' });
    expect(readRequestLine('ftp://host/api/users/')).toEqual({ skipped: 'unreadable' });
  });
});

describe('an access log', () => {
  const common = (request: string) => `10.0.0.7 - - [08/Dec/2026:00:12:01 +0000] "${request}" 200 5121`;

  it('takes a list endpoint GET in the common format', () => {
    expect(readRequestLine(common('GET /api/customers/?is_active=true&offset=20 HTTP/1.1'))).toEqual({ target: '/api/customers/?is_active=true&offset=20' });
  });

  it('takes a list endpoint GET in the combined format, referer and user agent after it', () => {
    const line = '192.168.1.20 - frank [08/Dec/2026:00:12:01 -0700] "GET /api/users/?search=ada HTTP/1.1" 200 734 "https://admin.example/" "Mozilla/5.0 (X11; Linux x86_64)"';
    expect(readRequestLine(line)).toEqual({ target: '/api/users/?search=ada' });
  });

  it('takes the slash-less /api/users, whose answer is a redirect to compare', () => {
    expect(readRequestLine(common('GET /api/users?limit=2 HTTP/1.1'))).toEqual({ target: '/api/users?limit=2' });
  });

  it('asks a HEAD as a GET', () => {
    expect(readRequestLine(common('HEAD /api/customers HTTP/1.0'))).toEqual({ target: '/api/customers' });
  });

  it('counts other paths, other methods and broken request lines apart', () => {
    expect(readRequestLine(common('GET /admin/login/ HTTP/1.1'))).toEqual({ skipped: 'other path' });
    expect(readRequestLine(common('GET /api/users/1/ HTTP/1.1'))).toEqual({ skipped: 'other path' });
    expect(readRequestLine(common('GET /api/schema HTTP/1.1'))).toEqual({ skipped: 'other path' });
    expect(readRequestLine(common('POST /api/users/ HTTP/1.1'))).toEqual({ skipped: 'other method' });
    expect(readRequestLine(common('-'))).toEqual({ skipped: 'unreadable' });
    expect(readRequestLine(common('\\x16\\x03\\x01'))).toEqual({ skipped: 'unreadable' });
  });

  it('reads an escaped quote inside the request line', () => {
    expect(readRequestLine(common('GET /api/users/?search=\\"x HTTP/1.1'))).toEqual({ target: '/api/users/?search="x' });
  });
});

describe('the parameters of a request', () => {
  it('are the names given a value, sorted, each once', () => {
    expect(parametersOf('/api/users/?search=a&limit=5&search=b')).toEqual(['limit', 'search']);
    expect(parametersOf('/api/users/')).toEqual([]);
  });

  it('leave out one given empty or as a bare key, as the API ignores it', () => {
    expect(parametersOf('/api/users/?search=&is_active&gender=male')).toEqual(['gender']);
    expect(parametersOf('/api/users/?search=a&search=')).toEqual([]);
  });
});
