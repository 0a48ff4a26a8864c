/**
 * Logger settings (pino through Fastify). The rule is "no patient data in logs" (names, ID
 * numbers, record contents): request bodies and query strings are never logged, errors are logged
 * by code and message only (a PostgreSQL `detail` may quote a row), and a redaction list catches
 * anything that still slips into a log object by field name.
 */
import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'req.query',
  'body',
  'password',
  '*.password',
  'workstationCredential',
  '*.workstationCredential',
  'refreshToken',
  '*.refreshToken',
  'accessToken',
  '*.accessToken',
  'name',
  '*.name',
  'idNumber',
  '*.idNumber',
  'phone',
  '*.phone',
  'address',
  '*.address',
  'doc',
  '*.doc',
  'newDocumentState',
  '*.newDocumentState',
  'assumedMasterState',
  '*.assumedMasterState',
  'err.detail',
  'err.issues',
];

interface LoggedRequest {
  method: string;
  url: string;
  id: string;
  ip?: string;
}

export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      // The path only: query strings can carry patient ids or search terms (a name typed in pinyin).
      req: (req: LoggedRequest) => ({ method: req.method, path: req.url.split('?')[0], reqId: req.id, ip: req.ip }),
      err: (err: Error & { code?: string; statusCode?: number }) => ({
        type: err.name,
        code: err.code,
        statusCode: err.statusCode,
        message: err.message,
        stack: err.stack ?? '',
      }),
    },
  };
}
