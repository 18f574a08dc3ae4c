/**
 * The fault suite's client side: a bounded write load through the gateway in which every write
 * carries its own Idempotency-Key and a marker of its own in its data, every acknowledged write is
 * recorded, and every write that got no answer (timeout, connection refused, a domain
 * unavailable) is sent again with the same key and the same input until it is answered.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';

/** A request that got no answer within this long counts as hung, and is retried. */
export const HUNG_AFTER_MS = 10_000;

export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export type Outcome = { kind: 'answer'; status: number; body: GraphQLAnswer } | { kind: 'timeout' } | { kind: 'network'; code: string };

/**
 * POSTs a GraphQL operation from `localAddress` (one loopback address per writer, so that the
 * gateway's per-address rate limit counts each writer apart, as it would count member tools).
 */
export function postGraphQL(
  url: string,
  body: { query: string; variables?: Record<string, unknown> },
  options: { token: string; localAddress?: string; idempotencyKey?: string; timeoutMs?: number },
): Promise<Outcome> {
  const target = new URL(url);
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${options.token}`,
          ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            done({ kind: 'answer', status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLAnswer });
          } catch {
            done({ kind: 'network', code: `HTTP ${res.statusCode} not JSON` });
          }
        });
        res.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'network', code: e.code ?? e.message }));
      },
    );
    const timer = setTimeout(() => {
      done({ kind: 'timeout' });
      req.destroy();
    }, options.timeoutMs ?? HUNG_AFTER_MS);
    req.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'network', code: e.code ?? e.message }));
    req.end(payload);
  });
}

/** Errors after which the same write is sent again with its key: the hub did not decide. */
const TRANSIENT = new Set(['SUBGRAPH_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED', 'REPONSE_IDEMPOTENTE_INDISPONIBLE']);

export type WriteKind = 'atelier' | 'contrat' | 'demarche';

export interface WriteRecord {
  kind: WriteKind;
  key: string;
  marker: string;
  /** Requests sent for this write (1 when answered at once). */
  attempts: number;
  /** Requests that got no answer within HUNG_AFTER_MS. */
  hung: number;
  outcome: 'ACK' | 'REFUSED' | 'ANSWER_LOST' | 'UNRESOLVED';
  id?: string;
  refusal?: string;
  /** What the last unanswered attempt got (for a write never answered). */
  last?: string;
}

/** One request of the load: when it left, when it ended, and whether it brought the write's answer. */
export interface Attempt {
  startedAt: number;
  endedAt: number;
  answered: boolean;
  /** Without the answer: `timeout`, the connection's error code, or the GraphQL error code. */
  failure?: string;
}

export interface Writer {
  /** The loopback address this writer connects from. */
  localAddress: string;
  tokens: Record<WriteKind, string>;
}

export interface LoadFixture {
  siteId: string;
  parcoursIds: string[];
}

const OPERATIONS: Record<WriteKind, { field: string; query: string; variables(f: LoadFixture, marker: string, n: number): Record<string, unknown> }> = {
  atelier: {
    field: 'enregistrerAtelier',
    query: 'mutation($i: AtelierInput!) { enregistrerAtelier(input: $i) { id intitule } }',
    variables: (f, marker, n) => ({ i: { date: '2025-03-12', siteId: f.siteId, theme: 'NUMERIQUE', intitule: marker, participantIds: [f.parcoursIds[n % f.parcoursIds.length]] } }),
  },
  contrat: {
    field: 'ajouterContratTravail',
    query: 'mutation($p: ID!, $i: ContratTravailInput!) { ajouterContratTravail(parcoursId: $p, input: $i) { id employeur } }',
    variables: (f, marker, n) => ({
      p: f.parcoursIds[n % f.parcoursIds.length],
      i: { type: 'CDD', employeur: marker, codeRome: 'J1301', dateDebut: '2025-02-01', dateFin: '2025-05-31', tempsTravail: 'TEMPS_PLEIN' },
    }),
  },
  demarche: {
    field: 'creerDemarcheDroit',
    query: 'mutation($i: CreerDemarcheDroitInput!) { creerDemarcheDroit(input: $i) { id organisme } }',
    variables: (f, marker, n) => ({ i: { parcoursId: f.parcoursIds[n % f.parcoursIds.length], type: 'COMPTE_BANCAIRE', organisme: marker, date: '2025-02-01' } }),
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one write until it is answered (or `giveUpAt`): the same key and input every time.
 * Returns the record, with what the hub answered.
 */
export async function settleWrite(
  gatewayUrl: string,
  writer: Writer,
  fixture: LoadFixture,
  kind: WriteKind,
  n: number,
  giveUpAt: () => number,
  record: (r: WriteRecord) => void,
  onAttempt: (a: Attempt) => void = () => undefined,
): Promise<WriteRecord> {
  const op = OPERATIONS[kind];
  const r: WriteRecord = { kind, key: randomUUID(), marker: `faute-${kind}-${randomUUID()}`, attempts: 0, hung: 0, outcome: 'UNRESOLVED' };
  record(r);
  const variables = op.variables(fixture, r.marker, n);
  while (Date.now() < giveUpAt()) {
    r.attempts += 1;
    const startedAt = Date.now();
    const outcome = await postGraphQL(gatewayUrl, { query: op.query, variables }, { token: writer.tokens[kind], localAddress: writer.localAddress, idempotencyKey: r.key });
    const answered = outcome.kind === 'answer' && Boolean((outcome.body.data?.[op.field] as { id?: string } | null | undefined)?.id);
    const failure = answered ? undefined : outcome.kind === 'timeout' ? 'timeout' : outcome.kind === 'network' ? outcome.code : String(outcome.body.errors?.[0]?.extensions?.code ?? `HTTP ${outcome.status}`);
    onAttempt({ startedAt, endedAt: Date.now(), answered, ...(failure ? { failure } : {}) });
    if (outcome.kind === 'timeout') {
      r.hung += 1;
      r.last = 'timeout';
      continue;
    }
    if (outcome.kind === 'network') {
      r.last = outcome.code;
      await sleep(200);
      continue;
    }
    r.last = `HTTP ${outcome.status} ${(outcome.body.errors ?? []).map((e) => `${String(e.extensions?.code)} ${e.message.slice(0, 120)}`).join('; ')}`;
    const value = outcome.body.data?.[op.field] as { id?: string } | null | undefined;
    if (value?.id) {
      r.outcome = 'ACK';
      r.id = value.id;
      return r;
    }
    const codes = (outcome.body.errors ?? []).map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
    if (codes.includes('REPONSE_IDEMPOTENTE_INDISPONIBLE') && outcome.body.errors?.some((e) => e.extensions?.ecritureEnregistree === true)) {
      // The write was made, its answer lost with the process that made it: nothing to resend.
      r.outcome = 'ANSWER_LOST';
      return r;
    }
    if (codes.length === 0 || codes.some((c) => TRANSIENT.has(c))) {
      await sleep(codes.includes('RATE_LIMITED') ? 2000 : 250);
      continue;
    }
    r.outcome = 'REFUSED';
    r.refusal = `${codes.join(',')}: ${outcome.body.errors?.[0]?.message ?? ''}`;
    return r;
  }
  return r;
}

/**
 * A steady write load: each writer sends one write at a time, every `paceMs` at most, cycling
 * through the kinds, until `stop()`; `stop` then waits for the writes in flight to be answered
 * (retrying them) for at most `graceMs`.
 */
export class WriteLoad {
  readonly records: WriteRecord[] = [];
  readonly attempts: Attempt[] = [];
  private running = true;
  private giveUpAt = Number.POSITIVE_INFINITY;
  private readonly loops: Promise<void>[];
  private readonly bursts: Promise<unknown>[] = [];

  constructor(
    gatewayUrl: string,
    writers: Writer[],
    fixture: LoadFixture,
    options: { kinds: WriteKind[]; paceMs: number },
  ) {
    let n = 0;
    this.loops = writers.map(async (writer, w) => {
      let i = w;
      while (this.running) {
        const started = Date.now();
        const kind = options.kinds[i % options.kinds.length]!;
        i += 1;
        n += 1;
        await settleWrite(gatewayUrl, writer, fixture, kind, n, () => this.giveUpAt, (r) => this.records.push(r), (a) => this.attempts.push(a));
        await sleep(Math.max(0, options.paceMs - (Date.now() - started)));
      }
    });
  }

  /** Acknowledged writes so far. */
  get acked(): number {
    return this.records.filter((r) => r.outcome === 'ACK').length;
  }

  /** Sends `n` more writes at once, from `localAddress`, recorded with the others (a burst to catch in flight). */
  burst(gatewayUrl: string, writer: Writer, fixture: LoadFixture, n: number): Promise<WriteRecord[]> {
    const kinds: WriteKind[] = ['atelier', 'contrat', 'demarche'];
    const sent = Promise.all(
      Array.from({ length: n }, (_, i) => settleWrite(gatewayUrl, writer, fixture, kinds[i % kinds.length]!, i, () => this.giveUpAt, (r) => this.records.push(r), (a) => this.attempts.push(a))),
    );
    this.bursts.push(sent);
    return sent;
  }

  /** The requests in flight at `at`, and how many of them brought their answer. */
  inFlightAt(at: number): { inFlight: number; answered: number; failures: Record<string, number> } {
    const caught = this.attempts.filter((a) => a.startedAt <= at && a.endedAt > at);
    const failures: Record<string, number> = {};
    for (const a of caught) if (a.failure) failures[a.failure] = (failures[a.failure] ?? 0) + 1;
    return { inFlight: caught.length, answered: caught.filter((a) => a.answered).length, failures };
  }

  async stop(graceMs = 60_000): Promise<WriteRecord[]> {
    this.running = false;
    this.giveUpAt = Date.now() + graceMs;
    await Promise.all([...this.loops, ...this.bursts]);
    return this.records;
  }
}
