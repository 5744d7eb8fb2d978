import type { FastifyInstance } from 'fastify';
import type { ControlPlaneDeps } from '../controlplane/context.js';
import { errorBody } from '../controlplane/error-handler.js';
import { CONSOLE_ASSETS, CONSOLE_CSP, createAssetReader } from './assets.js';

// The page is the same for every view: the console routes by the URL's #fragment.
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>loadctl console</title>
<link rel="icon" href="/console/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/app.css">
<script type="module" src="/console/app.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><nav aria-label="Sections"><a class="brand" href="#/runs">loadctl</a><a href="#/runs">Runs</a><a href="#/tests">Tests</a><a href="#/compare">Compare</a><a href="/swagger/">API</a></nav></header>
<main id="main" tabindex="-1"><p>Loading…</p></main>
<noscript>The loadctl console needs JavaScript; the API is at /v1 and documented at /swagger.</noscript>
</body>
</html>
`;

/** GET / and /console/<file>: the console's page and files, under a strict Content-Security-Policy. */
export async function consolePageRoutes(app: FastifyInstance, _options: { deps: ControlPlaneDeps }): Promise<void> {
  const read = createAssetReader();
  const secure = (reply: { header(name: string, value: string): unknown }): void => {
    reply.header('content-security-policy', CONSOLE_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  };

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    secure(reply);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(INDEX_HTML);
  });

  app.get<{ Params: { file: string } }>('/console/:file', { schema: { hide: true } }, async (request, reply) => {
    const name = request.params.file;
    const asset = (CONSOLE_ASSETS as readonly string[]).includes(name) ? await read(name) : null;
    if (!asset) {
      return reply.status(404).send(errorBody('LOADCTL_NOT_FOUND', `The console has no file ${name}${(CONSOLE_ASSETS as readonly string[]).includes(name) ? ': it is not built (npm run build)' : ''}.`));
    }
    secure(reply);
    return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
  });
}
