// Links made relative to the service that wrote them, so two addresses compare equal and nothing else does.
import { pageLinksWithoutOrigin, withoutOrigin } from '../../../services/compare/baseUrl';

describe('a link without its own origin', () => {
  it('loses the scheme, host and port of its own service', () => {
    expect(withoutOrigin('http://django.internal:8000/api/users/?limit=10&offset=10', 'http://django.internal:8000')).toBe('/api/users/?limit=10&offset=10');
    expect(withoutOrigin('https://users.example.com/api/customers?limit=5', 'https://users.example.com')).toBe('/api/customers?limit=5');
  });

  it('keeps another host, another port or another scheme', () => {
    expect(withoutOrigin('http://other:8000/api/users/?limit=10', 'http://django.internal:8000')).toBe('http://other:8000/api/users/?limit=10');
    expect(withoutOrigin('http://django.internal:8001/api/users/', 'http://django.internal:8000')).toBe('http://django.internal:8001/api/users/');
    expect(withoutOrigin('https://django.internal:8000/api/users/', 'http://django.internal:8000')).toBe('https://django.internal:8000/api/users/');
  });

  it('keeps a host that only begins like its own', () => {
    expect(withoutOrigin('http://django.internal:80001/api/users/', 'http://django.internal:8000')).toBe('http://django.internal:80001/api/users/');
    expect(withoutOrigin('http://localhost.evil/api/users/', 'http://localhost')).toBe('http://localhost.evil/api/users/');
  });

  it('knows a default port is no port', () => {
    expect(withoutOrigin('http://example.com/api/users/?limit=1', 'http://example.com:80')).toBe('/api/users/?limit=1');
  });
});

describe("a page's next and previous", () => {
  it('are made relative, every key kept in its place', () => {
    const page = { count: 30, next: 'http://a:1/api/users/?limit=10&offset=20', previous: 'http://a:1/api/users/?limit=10', results: [] };
    const out = pageLinksWithoutOrigin(page, 'http://a:1') as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['count', 'next', 'previous', 'results']);
    expect(out).toEqual({ count: 30, next: '/api/users/?limit=10&offset=20', previous: '/api/users/?limit=10', results: [] });
  });

  it('stay null, and nothing inside the results is touched', () => {
    const page = { count: 1, next: null, previous: null, results: [{ avatar: 'http://a:1/media/x.png', next: 'http://a:1/x' }] };
    expect(pageLinksWithoutOrigin(page, 'http://a:1')).toEqual(page);
  });

  it('leave a body that is not an object as it is', () => {
    expect(pageLinksWithoutOrigin(['http://a:1/x'], 'http://a:1')).toEqual(['http://a:1/x']);
    expect(pageLinksWithoutOrigin(null, 'http://a:1')).toBeNull();
  });
});
