/**
 * The hub as `docker-compose.yml` runs it, on this machine: each service its own process in
 * production mode, each subgraph on its own database and roles, for the security checks. Used by
 * `npm run security` and its short version in the test suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropDatabase, ownerRole, provisionDatabase, withDatabase } from '@agir/common';
import { freePort } from '../free-port';
import { generateSigningKeys, type SigningKeys } from '../tokens';
import { ROOT } from '../supergraph';

export const SECURITY_ISSUER = 'agir-hub-security';
export const SECURITY_AUDIENCE = 'agir-hub';

const SUBGRAPHS = [
  { name: 'coordination', entry: 'subgraphs/coordination/src/main.ts', url: 'COORDINATION_URL' },
  { name: 'droits-logement', entry: 'subgraphs/droits-logement/src/main.ts', url: 'DROITS_LOGEMENT_URL' },
  { name: 'emploi-formation', entry: 'subgraphs/emploi-formation/src/main.ts', url: 'EMPLOI_FORMATION_URL' },
] as const;

export interface RunningHub {
  /** Each service's GraphQL URL, the gateway first. */
  urls: Record<'gateway' | (typeof SUBGRAPHS)[number]['name'], string>;
  keys: SigningKeys;
  gatewaySecret: string;
  /** What the services printed, for a report when something fails. */
  logs(): string;
  stop(): Promise<void>;
}

async function waitReady(port: number, child: ChildProcess, name: string, output: string[]): Promise<void> {
  for (let i = 0; i < 1200; i += 1) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start (${child.exitCode}):\n${output.join('')}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} not ready after 120 s:\n${output.join('')}`);
}

/** Provisions the three databases on the superuser `adminUrl`, then starts the four services. */
export async function startProductionHub(adminUrl: string): Promise<RunningHub> {
  const prefix = `agir_s${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'agir-security-'));
  const keys = await generateSigningKeys();
  const jwksPath = path.join(dir, 'jwks.json');
  writeFileSync(jwksPath, JSON.stringify(keys.jwks));
  const gatewaySecret = randomBytes(32).toString('hex');
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const common = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    AUTH_JWKS: jwksPath,
    AUTH_ISSUER: SECURITY_ISSUER,
    AUTH_AUDIENCE: SECURITY_AUDIENCE,
    GATEWAY_SECRET: gatewaySecret,
  };
  const start = async (name: string, entry: string, env: Record<string, string>) => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env: { ...common, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    child.stdout!.on('data', (chunk: Buffer) => output.push(`[${name}] ${chunk.toString()}`));
    child.stderr!.on('data', (chunk: Buffer) => output.push(`[${name}] ${chunk.toString()}`));
    await waitReady(port, child, name, output);
    return `http://127.0.0.1:${port}/graphql`;
  };
  const databases = SUBGRAPHS.map((s) => `${prefix}_${s.name.replace(/-/g, '_')}`);
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    for (const database of databases) await dropDatabase(adminUrl, { database, role: database }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const gatewayPort = await freePort();
    const urls = { gateway: `http://127.0.0.1:${gatewayPort}/graphql` } as RunningHub['urls'];
    const gatewayEnv: Record<string, string> = {};
    for (const [i, subgraph] of SUBGRAPHS.entries()) {
      const database = databases[i]!;
      const password = `${database}-local`;
      await provisionDatabase(adminUrl, { database, role: database, password });
      urls[subgraph.name] = await start(subgraph.name, subgraph.entry, {
        DATABASE_URL: withDatabase(adminUrl, database, { user: database, password }),
        MIGRATION_DATABASE_URL: withDatabase(adminUrl, database, { user: ownerRole(database), password }),
        GATEWAY_URL: urls.gateway,
        WEBHOOKS_WORKER: 'false',
        ...(subgraph.name === 'coordination' ? { PSEUDONYM_SECRET: randomBytes(32).toString('hex') } : {}),
      });
      gatewayEnv[subgraph.url] = urls[subgraph.name];
    }
    const port = gatewayPort;
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], { cwd: ROOT, env: { ...common, ...gatewayEnv, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    child.stdout!.on('data', (chunk: Buffer) => output.push(`[gateway] ${chunk.toString()}`));
    child.stderr!.on('data', (chunk: Buffer) => output.push(`[gateway] ${chunk.toString()}`));
    await waitReady(port, child, 'gateway', output);
    return { urls, keys, gatewaySecret, logs: () => output.join(''), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
