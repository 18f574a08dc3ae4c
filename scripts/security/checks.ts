/**
 * The security checks of `npm run security`, against running services: graphql-http's audits of
 * the GraphQL-over-HTTP specification at the gateway, forged tokens at every port, the query
 * limits and request-shape refusals at every port, and a fuzz of malformed requests counting
 * server errors and stack traces. Each check returns rows for the printed table; a row that is not
 * `ok` makes the run fail, except the graphql-http audits explained in docs/security.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { auditServer } from 'graphql-http';
import { exportJWK, generateKeyPair, importJWK, SignJWT, base64url } from 'jose';
import type { SigningKeys } from '../tokens';

export interface Target {
  name: string;
  url: string;
}

export interface Row {
  check: string;
  port: string;
  result: string;
  ok: boolean;
}

export interface Context {
  targets: Target[];
  keys: SigningKeys;
  issuer: string;
  audience: string;
  /** A valid token of a coordinator of 44. */
  token: string;
}

const CLAIMS = { sub: 'securite', name: 'Contrôle de sécurité', structure: '00000000-0000-4000-8000-000000000001', roles: ['COORDINATION'], departements: ['44'] };

/**
 * The audits that do not pass, and why that is the intended behaviour (docs/security.md says the
 * same). Anything else not `ok` (or a MAY's `notice`) fails the run.
 */
export const EXPLAINED_AUDITS: Record<string, string> = {
  'MUST accept utf-8 encoded request':
    'the audit asks `__type(name: "Run🏃Swim🏊")`, introspection, which is off outside development; the check "utf-8 request answers 200" sends the same characters in a real query',
  'MUST allow map {variables} parameter when accepting application/json': 'the audit’s query is introspection (`__type`), off outside development; variables are used by every client of the hub',
  'SHOULD allow map {variables} parameter when accepting application/graphql-response+json': 'same: introspection',
  'SHOULD use 200 status code on document parsing failure when accepting application/json':
    'a client’s mistake is a 400 whatever the Accept header, so that monitoring counts the hub’s own faults (5xx) apart from its clients’',
  'SHOULD use 200 status code on document validation failure when accepting application/json': 'same: a client’s mistake is a 400',
  'SHOULD use a status code of 200 on variable coercion failure when accepting application/json': 'same: a client’s mistake is a 400',
};

const sign = async (payload: Record<string, unknown>, header: Record<string, unknown>, key: Parameters<SignJWT["sign"]>[0]) =>
  new SignJWT(payload).setProtectedHeader(header as never).sign(key);

/** Tokens that must all be refused, each with what makes it wrong. */
export async function forgedTokens(context: Context): Promise<[string, string][]> {
  const real = context.keys.privateJwk;
  const kid = real.kid!;
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...CLAIMS, iss: context.issuer, aud: context.audience, iat: now, exp: now + 600 };
  const admin = { ...claims, roles: ['ADMIN', 'COORDINATION'], departements: ['44', '85'] };
  const key = await importJWK(real, 'EdDSA');
  const other = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const unsigned = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
    `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;
  const valid = await sign(claims, { alg: 'EdDSA', kid, typ: 'JWT' }, key);
  const [h, , s] = valid.split('.');
  const publicJwk = context.keys.jwks.keys[0]!;
  return [
    ['alg none', unsigned({ alg: 'none', typ: 'JWT' }, claims)],
    ['alg none, real kid, raised roles', unsigned({ alg: 'none', kid, typ: 'JWT' }, admin)],
    ['HS256 with the public key as secret', await sign(admin, { alg: 'HS256', kid }, new TextEncoder().encode(JSON.stringify(publicJwk)))],
    ['HS256 with the public key bytes', await sign(admin, { alg: 'HS256', kid }, base64url.decode(publicJwk.x as string))],
    ['another Ed25519 key under the real kid', await sign(admin, { alg: 'EdDSA', kid }, other.privateKey)],
    ['RS256 with an unknown key', await sign(claims, { alg: 'RS256', kid: randomUUID() }, rsa.privateKey)],
    ['payload tampered (roles raised)', `${h}.${base64url.encode(JSON.stringify(admin))}.${s}`],
    ['signature removed', `${h}.${valid.split('.')[1]}.`],
    ['expired', await sign({ ...claims, iat: now - 7200, exp: now - 3600 }, { alg: 'EdDSA', kid }, key)],
    ['issued an hour in the future', await sign({ ...claims, iat: now + 3600, exp: now + 7200 }, { alg: 'EdDSA', kid }, key)],
    ['valid ten years', await sign({ ...claims, exp: now + 10 * 365 * 86400 }, { alg: 'EdDSA', kid }, key)],
    ['another issuer', await sign({ ...claims, iss: 'ailleurs' }, { alg: 'EdDSA', kid }, key)],
    ['another audience', await sign({ ...claims, aud: 'ailleurs' }, { alg: 'EdDSA', kid }, key)],
    ['no expiry', await sign({ ...claims, exp: undefined }, { alg: 'EdDSA', kid }, key)],
    ['garbage', randomBytes(48).toString('base64url')],
    ['empty', ''],
    ['JWK of the public key as token', JSON.stringify(await exportJWK(other.publicKey))],
  ];
}

type Reply = { status: number; text: string; json?: { data?: unknown; errors?: { message?: string; extensions?: Record<string, unknown> }[] } };

async function post(url: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<Reply> {
  const response = await fetch(url, { method, headers, ...(method === 'GET' ? {} : { body }) });
  const text = await response.text();
  let json: Reply['json'];
  try {
    json = JSON.parse(text) as Reply['json'];
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

const JSON_HEADERS = (token: string | null) => ({ 'content-type': 'application/json', ...(token !== null ? { authorization: `Bearer ${token}` } : {}) });

/** graphql-http's audits of the gateway (as a coordinator). */
export async function httpAudits(context: Context): Promise<Row[]> {
  const gateway = context.targets[0]!;
  const fetchFn = (input: string | URL | Request, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${context.token}`);
    return fetch(input, { ...init, headers });
  };
  const results = await auditServer({ url: gateway.url, fetchFn });
  return results.map((result) => {
    const explained = result.status !== 'ok' && result.name in EXPLAINED_AUDITS;
    return {
      check: `graphql-http: ${result.name}`,
      port: gateway.name,
      result: result.status === 'ok' ? 'ok' : `${result.status}${explained ? ' (explained)' : ''}: ${result.reason}`,
      ok: result.status === 'ok' || result.status === 'notice' || explained,
    };
  });
}

/** Every forged token at every port: counted accepted unless the answer is a 401 UNAUTHENTICATED. */
export async function forgedTokenMatrix(context: Context): Promise<Row[]> {
  const tokens = await forgedTokens(context);
  const rows: Row[] = [];
  for (const target of context.targets) {
    let accepted = 0;
    const which: string[] = [];
    for (const [label, token] of tokens) {
      const reply = await post(target.url, JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'application/json', authorization: `Bearer ${token}` });
      if (reply.status !== 401 || reply.json?.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED') {
        accepted += 1;
        which.push(`${label} (${reply.status})`);
      }
    }
    rows.push({ check: `forged tokens refused (${tokens.length})`, port: target.name, result: accepted === 0 ? 'ok: 0 accepted' : `${accepted} accepted: ${which.join(', ')}`, ok: accepted === 0 });
  }
  return rows;
}

/** The limits and the request shapes every port must refuse, with the valid token. */
export async function limitChecks(context: Context): Promise<Row[]> {
  const aliasBomb = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
  const checks: { label: string; send: (url: string) => Promise<Reply>; refused: (reply: Reply) => boolean; only?: string }[] = [
    {
      label: 'utf-8 request answers 200',
      only: 'gateway',
      send: (url) => post(url, JSON.stringify({ query: '{ metiersRome(recherche: "Run🏃Swim🏊 aide-soignant") { code } }' }), { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${context.token}` }),
      refused: (r) => r.status === 200 && !r.json?.errors,
    },
    {
      label: '1,000 aliases refused (4xx)',
      send: (url) => post(url, JSON.stringify({ query: aliasBomb }), JSON_HEADERS(context.token)),
      refused: (r) => r.status >= 400 && r.status < 500,
    },
    {
      label: 'introspection depth bomb refused (4xx)',
      send: (url) => post(url, JSON.stringify({ query: `{ ${'__schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }'} }` }), JSON_HEADERS(context.token)),
      refused: (r) => r.status >= 400 && r.status < 500,
    },
    {
      label: 'batched request refused (4xx)',
      send: (url) => post(url, JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), JSON_HEADERS(context.token)),
      refused: (r) => r.status >= 400 && r.status < 500,
    },
    {
      label: 'mutation over GET refused (CSRF)',
      send: (url) => post(`${url}?query=${encodeURIComponent('mutation { __typename }')}`, '', { authorization: `Bearer ${context.token}` }, 'GET'),
      refused: (r) => r.status >= 400 && r.status < 500,
    },
    {
      label: 'text/plain mutation refused (CSRF)',
      send: (url) => post(url, JSON.stringify({ query: 'mutation { __typename }' }), { 'content-type': 'text/plain', authorization: `Bearer ${context.token}` }),
      refused: (r) => r.status >= 400 && r.status < 500,
    },
    {
      label: 'no field suggestion',
      send: (url) => post(url, JSON.stringify({ query: '{ parcoursListee { totalCount } }' }), JSON_HEADERS(context.token)),
      refused: (r) => r.status === 400 && !/Did you mean/.test(r.text),
    },
    {
      label: 'no introspection in production',
      send: (url) => post(url, JSON.stringify({ query: '{ __schema { queryType { name } } }' }), JSON_HEADERS(context.token)),
      refused: (r) => r.status >= 400 && r.status < 500 && !r.text.includes('"queryType"'),
    },
    {
      label: 'federation internals refused without the gateway key (fragments too)',
      send: (url) => post(url, JSON.stringify({ query: 'query { ...F } fragment F on Query { _service { sdl } }' }), JSON_HEADERS(context.token)),
      refused: (r) => !r.text.includes('"sdl"'),
    },
  ];
  const rows: Row[] = [];
  for (const { label, send, refused, only } of checks) {
    for (const target of context.targets.filter((t) => !only || t.name === only)) {
      const reply = await send(target.url);
      const ok = refused(reply);
      rows.push({ check: label, port: target.name, result: ok ? `ok (${reply.status})` : `accepted: ${reply.status} ${reply.text.slice(0, 120)}`, ok });
    }
  }
  return rows;
}

/** A deterministic generator, so that a failing fuzz case can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One malformed request: a body, its content type, and whether it carries the valid token. */
export function malformedRequest(random: () => number, token: string): { body: string; headers: Record<string, string>; kind: string } {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const junk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(Math.floor(random() * 0xd7ff))).join('');
  const queries = [
    "'",
    '{',
    '}',
    '{ parcoursListe(first: "cent") { totalCount } }',
    '{ parcoursListe(first: -1) { totalCount } }',
    '{ parcoursListe(first: 99999999999999999999) { totalCount } }',
    '{ parcours(id: "\\u0000") { id } }',
    `{ parcours(id: "${"'".repeat(50)} OR 1=1 --") { id } }`,
    '{ parcours(id: "00000000-0000-0000-0000-000000000000") { id beneficiaire { nom } } }',
    'query($id: ID!) { parcours(id: $id) { id } }',
    'mutation { sortir(parcoursId: "x", sortie: {}) { statut } }',
    `{ ${'a'.repeat(100_000)} }`,
    '{ __typename @skip }',
    'subscription { x }',
    'query A { __typename } query A { __typename }',
    `{ metiersRome(recherche: "${junk(200).replace(/["\\]/g, '')}") { code } }`,
    '{ indicateurs(departement: "44", du: "2025-13-45", au: "hier") { effectifs { orientes } } }',
    '\u0000\u0000',
    junk(64),
  ] as const;
  const variables = [undefined, null, 'texte', 12, [], { id: 12 }, { id: null }, { id: '\u0000' }, { first: 'x' }, { __proto__: { admin: true } }, { filtre: { departement: 44 } }];
  const kind = pick(['json', 'json', 'json', 'truncated', 'not json', 'wrong type', 'array', 'nulls', 'huge', 'form'] as const);
  const document = pick(queries);
  let body: string;
  let contentType = 'application/json';
  switch (kind) {
    case 'json':
      body = JSON.stringify({ query: document, variables: pick(variables), operationName: random() < 0.1 ? pick(['B', '', 'x'.repeat(300)]) : undefined });
      break;
    case 'truncated': {
      const full = JSON.stringify({ query: document });
      body = full.slice(0, Math.floor(random() * full.length));
      break;
    }
    case 'not json':
      body = pick(['{bad', 'null', 'true', '"query"', '[]', '{}', '{"query": null}', '{"query": 12}', '{"query": {"a": 1}}', junk(100)]);
      break;
    case 'wrong type':
      body = JSON.stringify({ query: document });
      contentType = pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '', 'application/graphql']);
      break;
    case 'array':
      body = JSON.stringify(Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({ query: document })));
      break;
    case 'nulls':
      body = `{"query":"${'\\u0000'.repeat(1 + Math.floor(random() * 20))}"}`;
      break;
    case 'huge':
      body = JSON.stringify({ query: '{ __typename }', variables: { x: 'x'.repeat(Math.floor(random() * 2_000_000)) } });
      break;
    default:
      body = `query=${encodeURIComponent(document)}`;
      contentType = 'application/x-www-form-urlencoded';
  }
  const withToken = random() < 0.85;
  const headers: Record<string, string> = { ...(contentType ? { 'content-type': contentType } : {}), ...(withToken ? { authorization: `Bearer ${token}` } : {}) };
  return { body, headers, kind };
}

const STACK = /\n\s+at |"stacktrace"|at [A-Za-z.<>]+ \(\/|node_modules\//;

/** `count` malformed requests spread over the ports; counts the 5xx answers and the stack traces. */
export async function fuzz(context: Context, count: number, seed = 20261204): Promise<{ rows: Row[]; sent: number }> {
  const random = generator(seed);
  const perTarget = new Map(context.targets.map((t) => [t.name, { sent: 0, errors5xx: 0, stacks: 0, cut: 0, examples: [] as string[] }]));
  const queue = Array.from({ length: count }, (_, i) => ({ i, target: context.targets[i % context.targets.length]!, request: malformedRequest(random, context.token) }));
  // Eight at a time: enough to keep the services busy, bounded so the machine stays responsive.
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const stats = perTarget.get(item.target.name)!;
      stats.sent += 1;
      let reply: Reply | undefined;
      for (let attempt = 1; !reply; attempt += 1) {
        try {
          reply = await post(item.target.url, item.request.body, item.request.headers);
        } catch (error) {
          const cause = (error as { cause?: { code?: string; message?: string } }).cause;
          // A body over the 1 MB limit is refused (413) while the client is still sending it: the
          // server closes the connection, which the client sees as EPIPE or a reset. That is the
          // refusal, not a fault.
          if (item.request.kind === 'huge') {
            stats.cut += 1;
            break;
          }
          // A kept-alive connection the server closed just as the client reused it: asked again once.
          if (attempt === 1 && cause?.code === 'UND_ERR_SOCKET') continue;
          stats.errors5xx += 1;
          stats.examples.push(`#${item.i} ${item.request.kind}: no answer (${(error as Error).message}${cause ? `: ${cause.code ?? cause.message}` : ''})`);
          break;
        }
      }
      if (!reply) continue;
      if (reply.status >= 500) {
        stats.errors5xx += 1;
        if (stats.examples.length < 3) stats.examples.push(`#${item.i} ${item.request.kind} → ${reply.status} ${reply.text.slice(0, 100)}`);
      }
      if (STACK.test(reply.text)) {
        stats.stacks += 1;
        if (stats.examples.length < 3) stats.examples.push(`#${item.i} ${item.request.kind}: stack trace`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const rows: Row[] = [];
  for (const [port, stats] of perTarget) {
    const ok = stats.errors5xx === 0 && stats.stacks === 0;
    rows.push({ check: `fuzz: ${stats.sent} malformed requests`, port, result: `${stats.errors5xx} 5xx, ${stats.stacks} stack traces${stats.cut ? ` (${stats.cut} bodies over 1 MB cut while sent)` : ''}${stats.examples.length ? `: ${stats.examples.join(' | ')}` : ''}`, ok });
  }
  return { rows, sent: count };
}

/** The whole suite; `fuzzCount` malformed requests in all. */
export async function runChecks(context: Context, options: { fuzzCount: number; audits?: boolean }): Promise<Row[]> {
  const rows: Row[] = [];
  if (options.audits !== false) rows.push(...(await httpAudits(context)));
  rows.push(...(await forgedTokenMatrix(context)));
  rows.push(...(await limitChecks(context)));
  rows.push(...(await fuzz(context, options.fuzzCount)).rows);
  return rows;
}

/** The table as printed: one line per row, failures marked. */
export function formatTable(rows: Row[]): string {
  const width = Math.min(70, Math.max(...rows.map((r) => r.check.length)));
  const portWidth = Math.max(...rows.map((r) => r.port.length));
  return rows.map((r) => `${r.ok ? '  ' : '✗ '}${r.check.padEnd(width)}  ${r.port.padEnd(portWidth)}  ${r.result}`).join('\n');
}
