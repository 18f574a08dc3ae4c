import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** The header carrying the request id from the gateway to the subgraphs (and back to clients). */
export const REQUEST_ID_HEADER = 'x-request-id';

/** One JSON logger per service; request loggers are children carrying `requestId`. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = { name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
