/**
 * The three ways a call to an outside system can fail, as seen by the code that uses it. Each
 * names the remote in its message, so a log line or a degraded answer says who failed, not only
 * that something did.
 *
 * - `RemoteUnavailable`: the remote could not answer now (network error, timeout, 5xx, rate limit,
 *   circuit open). Worth retrying later; a caller degrades to an explained empty answer.
 * - `RemoteRejected`: the remote answered and refused the request (4xx other than 429). Retrying
 *   the same request will not help: the request, the credentials or the configuration are wrong.
 * - `RemoteMalformed`: the remote answered 2xx with a body that does not match the documented
 *   shape. Nothing of it is used.
 */
export abstract class RemoteError extends Error {
  abstract readonly kind: 'unavailable' | 'rejected' | 'malformed';

  constructor(
    /** The remote's display name, e.g. "France Travail (offres)". */
    readonly remote: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why a remote was unavailable. */
export type UnavailableReason = 'network' | 'timeout' | 'server' | 'rate-limited' | 'circuit-open';

/** The remote could not answer now: see `reason`. Retried (for idempotent calls) then thrown. */
export class RemoteUnavailable extends RemoteError {
  readonly kind = 'unavailable' as const;
  readonly reason: UnavailableReason;
  /** The HTTP status for `server` and `rate-limited`. */
  readonly status: number | undefined;
  /** The delay the remote asked for (`Retry-After`), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    remote: string,
    details: { reason: UnavailableReason; detail: string; status?: number; retryAfterMs?: number },
    options?: { cause?: unknown },
  ) {
    super(remote, `« ${remote} » est indisponible : ${details.detail}.`, options);
    this.reason = details.reason;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The remote refused the request with a 4xx status; `body` is its answer (JSON when it parses). */
export class RemoteRejected extends RemoteError {
  readonly kind = 'rejected' as const;

  constructor(
    remote: string,
    readonly status: number,
    readonly body: unknown,
    hint?: string,
  ) {
    const detail = describeBody(body);
    super(remote, `« ${remote} » a refusé la requête (HTTP ${status}${detail ? ` : ${detail}` : ''}).${hint ? ` ${hint}` : ''}`);
  }
}

/** The remote answered 2xx with a body that is not what its documentation describes. */
export class RemoteMalformed extends RemoteError {
  readonly kind = 'malformed' as const;

  constructor(remote: string, detail: string, options?: { cause?: unknown }) {
    super(remote, `« ${remote} » a renvoyé une réponse inattendue, ignorée : ${detail}.`, options);
  }
}

/** Whether a value is one of the remote errors above. */
export function isRemoteError(error: unknown): error is RemoteError {
  return error instanceof RemoteError;
}

/** The human part of an error body: the fields the documented APIs use for it, or the text. */
function describeBody(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['error_description', 'message', 'detail', 'error']) {
      const value = record[key];
      if (typeof value === 'string') return value.slice(0, 200);
      if (value !== undefined && value !== null) return JSON.stringify(value).slice(0, 200);
    }
    return JSON.stringify(body).slice(0, 200);
  }
  return '';
}
