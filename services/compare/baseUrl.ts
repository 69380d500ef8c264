// Each service writes its own scheme and host into the links it returns (DRF's `next`/`previous` are absolute,
// built from the request): before two answers are compared, each link is made relative to the service that
// wrote it, so two services at different addresses answer alike when everything after the address is alike.

/** `link` without the origin of `base` (scheme, host, port) when it starts with it; otherwise as it is. */
export function withoutOrigin(link: string, base: string): string {
  const origin = new URL(base).origin;
  if (link === origin) return '/';
  return link.startsWith(`${origin}/`) || link.startsWith(`${origin}?`) ? link.slice(origin.length) : link;
}

/** A page's `next` and `previous` (top-level strings) made relative to `base`; keys keep their order. */
export function pageLinksWithoutOrigin(body: unknown, base: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const page = body as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...page };
  for (const key of ['next', 'previous']) {
    const link = page[key];
    if (typeof link === 'string') copy[key] = withoutOrigin(link, base);
  }
  return copy;
}
