import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, verifyWebhook, type WebhookVerification } from '@agir/common/src/webhooks';

/**
 * A member tool's webhook endpoint, for tests: a real HTTP server on 127.0.0.1 and a free port
 * that verifies every request's signature with `verifyWebhook` (as a receiver would, on the raw
 * bytes), records what it got, and can be told to misbehave: answer an error status (N times or
 * until told otherwise), answer slowly, hang without answering, or be down altogether.
 */
export interface ReceivedRequest {
  eventId: string;
  eventType: string;
  signature: string;
  rawBody: string;
  verification: WebhookVerification;
  /** The status answered, or HUNG for a request left without an answer. */
  answer: number | 'HUNG';
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** The event ids of the requests the receiver took in (answered 2xx, or hung after reading). */
  takenIds(): string[];
  /** Answers `status` to the next `count` requests, then behaves normally again. */
  failNext(count: number, status?: number): void;
  /** Answers `status` to every request until `succeed()`. */
  failAlways(status?: number): void;
  /** Back to answering 204 at once. */
  succeed(): void;
  /** Waits `ms` before answering. */
  slow(ms: number): void;
  /** Requests arriving after the first `count` (counted from now) are read, recorded and never answered. */
  hangAfter(count: number): void;
  /** Stops listening (connections refused) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Resolves when `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { secret: string; now?: () => Date; toleranceSeconds?: number }): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const hung: ServerResponse[] = [];
  let failures = 0;
  let failureStatus = 500;
  let stickyStatus: number | null = null;
  let delayMs = 0;
  let hangFrom: number | null = null;
  let waiters: { count: number; resolve: () => void }[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const signature = String(req.headers[SIGNATURE_HEADER.toLowerCase()] ?? '');
      const verification = verifyWebhook(options.secret, signature, rawBody, {
        now: options.now?.() ?? new Date(),
        ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
      });
      const record: ReceivedRequest = {
        eventId: String(req.headers[EVENT_ID_HEADER.toLowerCase()] ?? ''),
        eventType: String(req.headers[EVENT_TYPE_HEADER.toLowerCase()] ?? ''),
        signature,
        rawBody,
        verification,
        answer: 204,
      };
      requests.push(record);
      waiters = waiters.filter((w) => (requests.length >= w.count ? (w.resolve(), false) : true));

      if (!verification.ok) {
        record.answer = 401;
      } else if (hangFrom !== null && requests.length > hangFrom) {
        record.answer = 'HUNG';
        hung.push(res);
        return;
      } else if (failures > 0) {
        failures -= 1;
        record.answer = failureStatus;
      } else if (stickyStatus !== null) {
        record.answer = stickyStatus;
      }
      const answer = record.answer as number;
      const send = () => {
        res.statusCode = answer;
        res.end(answer >= 400 ? `refused (${verification.ok ? 'test failure' : verification.reason})` : undefined);
      };
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  };

  let server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const closeServer = async () => {
    for (const res of hung.splice(0)) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    url: `http://127.0.0.1:${port}/agir/webhooks`,
    requests,
    takenIds: () => requests.filter((r) => r.answer === 'HUNG' || (r.answer >= 200 && r.answer < 300)).map((r) => r.eventId),
    failNext(count, status = 500) {
      failures = count;
      failureStatus = status;
    },
    failAlways(status = 500) {
      stickyStatus = status;
    },
    succeed() {
      failures = 0;
      stickyStatus = null;
      delayMs = 0;
      hangFrom = null;
    },
    slow(ms) {
      delayMs = ms;
    },
    hangAfter(count) {
      hangFrom = requests.length + count;
    },
    down: closeServer,
    async up() {
      server = createServer(handle);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
    },
    waitForRequests(count, timeoutMs = 5000) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`webhook receiver: expected ${count} requests within ${timeoutMs} ms, got ${requests.length}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: async () => {
      if (server.listening) await closeServer();
    },
  };
}
