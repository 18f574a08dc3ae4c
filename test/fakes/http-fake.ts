import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The common part of the fakes of outside systems: a real HTTP server on 127.0.0.1 and a free
 * port, named routes, a record of every request, and faults that a test switches on for the next
 * calls of a route (or for all of them until it switches them off).
 */

/** What a route handler answers. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON (with `application/json`) unless `text` is given. */
  json?: unknown;
  text?: string;
}

/** A request as the fake saw it. */
export interface FakeRequest {
  route: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A fault for the next calls of a route:
 * - `status`: answers that status (a 5xx, or anything) with an optional body;
 * - `rate-limit`: answers 429 `text/plain` with `Retry-After` (seconds), as France Travail does;
 * - `slow`: waits before answering normally (the client's timeout should fire first);
 * - `malformed-json`: answers 200 `application/json` with a truncated body;
 * - `malformed-shape`: answers 200 with valid JSON of the wrong shape (each fake says which).
 */
export type Fault =
  | { kind: 'status'; status: number; json?: unknown; text?: string }
  | { kind: 'rate-limit'; retryAfter: number }
  | { kind: 'slow'; ms: number }
  | { kind: 'malformed-json' }
  | { kind: 'malformed-shape' };

type Handler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

interface Route {
  name: string;
  method: string;
  path: string;
  handler: Handler;
}

export class FakeHttpServer {
  /** Requests received, in order (faulted ones included). */
  readonly requests: FakeRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly queued = new Map<string, Fault[]>();
  private readonly persistent = new Map<string, Fault>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  private baseUrl = '';

  constructor(
    private readonly name: string,
    /** The body of a `malformed-shape` answer, per route. */
    private readonly malformedShape: (route: string) => unknown = () => ({ unexpected: true }),
  ) {}

  /** The base URL (`http://127.0.0.1:<port>`), once started. */
  get url(): string {
    if (!this.baseUrl) throw new Error(`The ${this.name} fake is not started: call start() first.`);
    return this.baseUrl;
  }

  route(name: string, method: string, path: string, handler: Handler): this {
    this.routes.push({ name, method, path, handler });
    return this;
  }

  /** How many requests a route received. */
  calls(route: string): number {
    return this.requests.filter((request) => request.route === route).length;
  }

  /** The requests a route received. */
  requestsTo(route: string): FakeRequest[] {
    return this.requests.filter((request) => request.route === route);
  }

  /** Applies `fault` to the next `times` calls of `route`. */
  failNext(route: string, fault: Fault, times = 1): this {
    const queue = this.queued.get(route) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.queued.set(route, queue);
    return this;
  }

  /** Applies `fault` to every call of `route` until `failAlways(route, null)`. */
  failAlways(route: string, fault: Fault | null): this {
    if (fault) this.persistent.set(route, fault);
    else this.persistent.delete(route);
    return this;
  }

  /** Forgets requests and faults (the data set stays). */
  reset(): void {
    this.requests.length = 0;
    this.queued.clear();
    this.persistent.clear();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, { status: 500, json: { message: `fake ${this.name}: ${String(error)}` } });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const route = this.routes.find((candidate) => candidate.method === req.method && candidate.path === url.pathname);
    const request: FakeRequest = {
      route: route?.name ?? 'unknown',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    if (!route) {
      send(res, { status: 404, json: { detail: 'Not Found' } });
      return;
    }
    const fault = this.queued.get(route.name)?.shift() ?? this.persistent.get(route.name);
    if (fault) {
      switch (fault.kind) {
        case 'status':
          send(res, { status: fault.status, ...(fault.text !== undefined ? { text: fault.text } : { json: fault.json ?? { message: `Erreur ${fault.status}` } }) });
          return;
        case 'rate-limit':
          send(res, { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(fault.retryAfter) }, text: 'Too Many Requests' });
          return;
        case 'malformed-json':
          send(res, { status: 200, headers: { 'content-type': 'application/json' }, text: '{"resultats":[{"id":"TRONQU' });
          return;
        case 'malformed-shape':
          send(res, { status: 200, json: this.malformedShape(route.name) });
          return;
        case 'slow':
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              this.timers.delete(timer);
              resolve();
            }, fault.ms);
            this.timers.add(timer);
          });
          if (res.destroyed || req.destroyed) return;
          break;
      }
    }
    send(res, await route.handler(request));
  }
}

function send(res: ServerResponse, response: FakeResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...response.headers };
  let body = '';
  if (response.text !== undefined) {
    body = response.text;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (response.json !== undefined && response.status !== 204) {
    body = JSON.stringify(response.json);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(response.status, headers);
  res.end(body);
}

/** The bearer token of a request, if any. */
export function bearer(request: FakeRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (.+)$/i.exec(header) : null;
  return match?.[1];
}
