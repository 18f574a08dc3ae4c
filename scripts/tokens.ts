import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import type { Role } from '@agir/common';

/** The issuer and audience of the demo's tokens (`npm start`, `npm run token`). */
export const DEMO_ISSUER = 'agir-hub-demo';
export const DEMO_AUDIENCE = 'agir-hub';

/** A signing key pair for tokens: the private JWK signs, the public JWKS verifies. */
export interface SigningKeys {
  privateJwk: JWK;
  jwks: JSONWebKeySet;
}

export async function generateSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { privateJwk, jwks: { keys: [publicJwk] } };
}

export interface TokenClaims {
  sub: string;
  name?: string;
  structure: string;
  roles: Role[];
  departements: string[];
  referent?: string;
}

/** Signs a token for the hub (EdDSA), valid `expiresIn` (default 8 hours). */
export async function mintToken(
  keys: Pick<SigningKeys, 'privateJwk'>,
  claims: TokenClaims,
  options: { issuer: string; audience: string; expiresIn?: string | number },
): Promise<string> {
  const key = await importJWK(keys.privateJwk, 'EdDSA');
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.privateJwk.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '8h')
    .sign(key);
}

export interface DevAuth {
  keys: SigningKeys;
  jwksPath: string;
  gatewaySecret: string;
}

/**
 * The demo's keys, made on first start under `.data/keys` (gitignored, never committed): the
 * private key (mode 0600), the public JWKS the services verify against, and the gateway secret.
 */
export async function ensureDevAuth(dir: string): Promise<DevAuth> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privatePath = path.join(dir, 'private.jwk.json');
  const jwksPath = path.join(dir, 'jwks.json');
  const secretPath = path.join(dir, 'gateway-secret');
  if (!existsSync(privatePath) || !existsSync(jwksPath)) {
    const keys = await generateSigningKeys();
    writeFileSync(privatePath, JSON.stringify(keys.privateJwk), { mode: 0o600 });
    writeFileSync(jwksPath, JSON.stringify(keys.jwks, null, 2));
  }
  if (!existsSync(secretPath)) writeFileSync(secretPath, randomBytes(32).toString('hex'), { mode: 0o600 });
  chmodSync(privatePath, 0o600);
  return {
    keys: { privateJwk: JSON.parse(readFileSync(privatePath, 'utf8')) as JWK, jwks: JSON.parse(readFileSync(jwksPath, 'utf8')) as JSONWebKeySet },
    jwksPath,
    gatewaySecret: readFileSync(secretPath, 'utf8').trim(),
  };
}
