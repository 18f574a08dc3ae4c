import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';

/**
 * The dashboard (`/dashboard`), the coordination's console (`/console`) and the GraphQL explorer
 * (`/explorer`): static pages, with no data in them, so they answer without a token. Their scripts read the data from `/graphql` with the
 * user's token, like any other client. Everything they load is served from here (the page's own
 * files under `gateway/public/`, and a short list of files from node_modules: Chart.js, GraphiQL,
 * React), so they work with no internet access, under a Content-Security-Policy that allows
 * nothing but this origin and no inline script.
 */

const PUBLIC_DIR = path.resolve(__dirname, '..', 'public');

/** Everything from this origin only; no inline script, no eval, no framing, no plugin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // GraphiQL's stylesheet embeds its fonts and icons as data: URLs; Chart.js draws on canvas.
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The directory of an installed package (some, like react, export neither their files nor package.json). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`Package ${name} not found from ${__dirname}`);
}

/** URL under /vendor/ → the file in node_modules. Only these files are served, not node_modules. */
function vendorFiles(): Record<string, string> {
  const chart = packageDir('chart.js');
  const graphiql = packageDir('graphiql');
  const react = packageDir('react');
  const reactDom = packageDir('react-dom');
  return {
    'chart.umd.min.js': path.join(chart, 'dist', 'chart.umd.min.js'),
    'graphiql.min.js': path.join(graphiql, 'graphiql.min.js'),
    'graphiql.min.css': path.join(graphiql, 'graphiql.min.css'),
    'react.production.min.js': path.join(react, 'umd', 'react.production.min.js'),
    'react-dom.production.min.js': path.join(reactDom, 'umd', 'react-dom.production.min.js'),
  };
}

function securityHeaders(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
}

/** Mounts `/dashboard`, `/console`, `/explorer`, `/assets/*` (gateway/public) and `/vendor/*` (the libraries). */
export function mountStatic(app: express.Express): void {
  const files = vendorFiles();
  for (const file of Object.values(files)) {
    if (!existsSync(file)) throw new Error(`Static file missing: ${file} (run npm install)`);
  }
  const notFound = (_req: express.Request, res: express.Response) => {
    res.status(404).type('text/plain').send('Not found');
  };
  app.get('/dashboard', securityHeaders, (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'dashboard.html')));
  app.get('/console', securityHeaders, (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'console.html')));
  app.get('/explorer', securityHeaders, (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'explorer.html')));
  app.use('/assets', securityHeaders, express.static(PUBLIC_DIR, { index: false, maxAge: '5m' }), notFound);
  app.get('/vendor/:file', securityHeaders, (req, res) => {
    const file = files[req.params.file as string];
    if (file) res.sendFile(file, { maxAge: '1d' });
    else notFound(req, res);
  });
}
