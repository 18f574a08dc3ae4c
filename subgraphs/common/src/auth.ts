import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

/** The roles of the hub; the table in README.md says what each may read and write. */
export const ROLES = [
  'REFERENT_DROITS_LOGEMENT',
  'REFERENT_EMPLOI_FORMATION',
  'COORDINATION',
  'OFII',
  'PRESCRIPTEUR',
  'ANALYSTE',
  'ADMIN',
  /** The data-protection officer: reads the audit trail of its départements, never the parcours' data. */
  'DPO',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, as the verified token says. */
export interface Viewer {
  userId: string;
  name: string | null;
  /** The association (or partner) the user works for. */
  structureId: string;
  roles: Role[];
  /** The départements the user works in; every read and write is scoped to them. */
  departements: string[];
  /** For referents: their Referent id in Coordination, which binômes name. */
  referentId: string | null;
}

/** The header by which the gateway proves to a subgraph that a request comes from it. */
export const GATEWAY_KEY_HEADER = 'x-agir-gateway-key';

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  structure: z.uuid(),
  roles: z.array(z.enum(ROLES)).min(1),
  departements: z.array(z.string().regex(/^(\d{2}|2A|2B|97\d)$/)),
  referent: z.uuid().optional(),
});

export class AuthenticationError extends Error {
  constructor(message: string, readonly reason: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export interface AuthConfig {
  issuer: string;
  audience: string;
  /** A JWKS document, a path to one, or an https URL serving one. */
  jwks: JSONWebKeySet | string;
  /**
   * The longest a token may live, in seconds (default 12 h): a token issued longer ago is refused,
   * and so is one whose `exp` lies further than this after its `iat`.
   */
  maxTokenAgeSeconds?: number;
}

/** Twelve hours: a working day, after which a stolen token is worth nothing. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 3600;

/** Seconds of clock difference tolerated between the issuer and the services. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** `43200` → `12 h`, `5400` → `90 min`, for the messages. */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * Only asymmetric signatures are accepted: `alg: none` and HMAC algorithms (the classic confusion
 * where a public key is used as an HMAC secret) are refused before any key is looked at.
 */
const ALGORITHMS = ['EdDSA', 'RS256'];

function keySet(jwks: AuthConfig['jwks']): JWTVerifyGetKey {
  if (typeof jwks !== 'string') return createLocalJWKSet(jwks);
  if (/^https?:\/\//.test(jwks)) return createRemoteJWKSet(new URL(jwks), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  return createLocalJWKSet(JSON.parse(readFileSync(jwks, 'utf8')) as JSONWebKeySet);
}

/**
 * Returns a function that verifies a bearer token (signature against the key set, issuer,
 * audience, expiry, age and lifetime) and reads the hub's claims from it. Every failure is an
 * AuthenticationError whose message says what to do, without echoing the token.
 */
export function createTokenVerifier(config: AuthConfig): (token: string) => Promise<Viewer> {
  const keys = keySet(config.jwks);
  const maxAge = config.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // Refuses an `iat` older than the maximum age, and one in the future beyond the tolerance.
        maxTokenAge: maxAge,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired && error.claim === 'iat') {
        throw new AuthenticationError(`Le jeton a été émis il y a plus de ${formatDuration(maxAge)}, sa durée de vie maximale : demandez-en un nouveau.`, 'too-old');
      }
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iat') {
        throw new AuthenticationError("Jeton refusé : sa date d'émission (« iat ») est dans le futur ; vérifiez l'horloge de l'émetteur.", 'issued-in-future');
      }
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('Le jeton a expiré : demandez-en un nouveau.', 'expired');
      if (error instanceof joseErrors.JOSEAlgNotAllowed) throw new AuthenticationError('Algorithme de signature refusé : seuls EdDSA et RS256 sont acceptés.', 'algorithm');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new AuthenticationError(`Jeton refusé : revendication « ${error.claim} » invalide.`, 'claim');
      throw new AuthenticationError('Jeton invalide : signature, format ou émetteur non reconnu.', 'invalid');
    }
    // An `exp` far out would keep a token valid for years if its `iat` were recent: the lifetime
    // itself is bounded too.
    if (typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp - payload.iat > maxAge + CLOCK_TOLERANCE_SECONDS) {
      throw new AuthenticationError(`Jeton refusé : sa durée de validité (de « iat » à « exp ») dépasse ${formatDuration(maxAge)} ; demandez un jeton plus court.`, 'lifetime');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new AuthenticationError(`Jeton refusé : revendications attendues manquantes ou invalides (${claims.error.issues.map((i) => i.path.join('.')).join(', ')}).`, 'claims');
    }
    const c = claims.data;
    return { userId: c.sub, name: c.name ?? null, structureId: c.structure, roles: c.roles, departements: c.departements, referentId: c.referent ?? null };
  };
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim()) : null;
  return match?.[1] ?? null;
}

/**
 * Compares a presented secret with the expected one in constant time: both are hashed first, so
 * neither the comparison's duration nor a length check tells how much of a guess was right.
 */
export function secretMatches(expected: string, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
