import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string, name = 'governance-bot'): Logger {
  return pino({ name, level, redact: ['req.headers.authorization', '*.appPassword'] });
}
