// GET /api/docs (ops.md): a browsable reference of both endpoints, rendered by Swagger UI (swagger-ui-dist,
// served from the package: no CDN, so it works on a machine without internet) from /api/schema, with the
// token scheme's Authorize dialog so a reader can try a request ("Token <key>").
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';

/** The package's files the page loads, read once at start. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>rollcall API reference</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/schema', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });\n`;

export function docsRoutes(router: Router): void {
  // The package's folder, found without loading its index (which loads the whole bundle into this process:
  // 0.3 s of every API process's start).
  const dir = path.dirname(require.resolve('swagger-ui-dist/absolute-path.js'));
  const files = new Map(Object.entries(ASSETS).map(([name, type]) => [name, { type, body: readFileSync(path.join(dir, name)) }]));
  router.get('/api/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });
  router.get('/api/docs/init.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = INIT;
  });
  router.get('/api/docs/:file', (ctx, next) => {
    const file = files.get(ctx.params.file as string);
    if (file === undefined) return next();
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = file.body;
  });
}
