/**
 * The fault suite's processes: each service runs as its own `node --import tsx <entry>` child,
 * as it would in production, so that a fault (kill -9, SIGTERM) hits one process and nothing else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ROOT } from '../supergraph';

export interface ServiceSpec {
  name: string;
  /** The entry point, relative to the repository root. */
  entry: string;
  port: number;
  env: Record<string, string>;
  /** A process without an HTTP server (the webhook worker): ready once it runs. */
  noHttp?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET on 127.0.0.1, the status (0 when nothing answers within `timeoutMs`). */
export function httpStatus(port: number, urlPath: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export class Service {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  readonly logPath: string;
  /** Exit codes and signals of the previous runs, for the report. */
  readonly exits: string[] = [];

  constructor(readonly spec: ServiceSpec, logDir: string) {
    this.logPath = path.join(logDir, `${spec.name}.log`);
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  start(): void {
    const log = openSync(this.logPath, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', this.spec.entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', LOG_LEVEL: 'warn', ...this.spec.env },
      stdio: ['ignore', log, log],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.exits.push(signal ?? `code ${code}`);
      resolve(code);
    }));
  }

  /** Waits until `/health/ready` answers 200 (or, without HTTP, a moment after the start). */
  async waitReady(timeoutMs = 120_000): Promise<number> {
    const started = Date.now();
    if (this.spec.noHttp) {
      await sleep(1500);
      if (!this.pid) throw new Error(`${this.spec.name} exited at start; see ${this.logPath}:\n${this.tail()}`);
      return Date.now() - started;
    }
    while (Date.now() - started < timeoutMs) {
      if (!this.pid) throw new Error(`${this.spec.name} exited at start; see ${this.logPath}:\n${this.tail()}`);
      if ((await httpStatus(this.spec.port, '/health/ready')) === 200) return Date.now() - started;
      await sleep(100);
    }
    throw new Error(`${this.spec.name} not ready after ${timeoutMs} ms; see ${this.logPath}:\n${this.tail()}`);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). Returns how long it took. */
  async signal(signal: NodeJS.Signals, graceMs = 30_000): Promise<{ ms: number; forced: boolean }> {
    const pid = this.pid;
    if (!pid) return { ms: 0, forced: false };
    const started = Date.now();
    process.kill(pid, signal);
    const timeout = sleep(graceMs).then(() => 'timeout' as const);
    if ((await Promise.race([this.exited, timeout])) === 'timeout') {
      if (this.pid) process.kill(pid, 'SIGKILL');
      await this.exited;
      return { ms: Date.now() - started, forced: true };
    }
    return { ms: Date.now() - started, forced: false };
  }

  /** Resident memory of the process, in kB (from /proc). */
  rssKb(): number | null {
    const pid = this.pid;
    if (!pid) return null;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) : null;
    } catch {
      return null;
    }
  }

  tail(lines = 20): string {
    try {
      return readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
