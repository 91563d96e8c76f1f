import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    STORAGE_CONNECTION_STRING: optionalText,
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppId: optionalText.pipe(z.string().regex(guid, 'must be a GUID').optional()),
    MicrosoftAppPassword: optionalText,
    MicrosoftAppTenantId: optionalText.pipe(z.string().regex(guid, 'must be a GUID').optional()),
    ADMIN_USER_IDS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      )
      .pipe(z.array(z.string().regex(guid, 'must be a comma-separated list of AAD object ids (GUIDs)'))),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SEND_RATE_PER_SECOND: z.coerce.number().positive().max(7).default(5),
    TENANT_SEND_RATE_PER_SECOND: z.coerce.number().positive().max(50).default(30),
    MEMBERSHIP_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
    DATA_DIR: z.string().default('.data'),
    PLAYGROUND: z.enum(['on', 'off']).default('on'),
    PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
    SCHEDULER: z.enum(['on', 'off']).default('on'),
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'is required when MicrosoftAppId is set',
      });
    }
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `is required for a ${env.MicrosoftAppType} bot`,
      });
    }
    if (!env.MicrosoftAppId && env.MicrosoftAppPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppId'],
        message: 'is required when MicrosoftAppPassword is set',
      });
    }
  });

export type Env = z.infer<typeof schema>;

export interface Config {
  readonly port: number;
  /** Loopback without credentials (no token needed); all interfaces with them. */
  readonly host: '127.0.0.1' | '0.0.0.0';
  readonly storageConnectionString: string | undefined;
  readonly auth:
    | { readonly kind: 'none' }
    | {
        readonly kind: 'botframework';
        readonly appType: Env['MicrosoftAppType'];
        readonly appId: string;
        readonly appPassword: string | undefined;
        readonly tenantId: string | undefined;
        /** Where the signing keys are named; the Bot Framework's own unless told (tests point it at a local server). */
        readonly openIdMetadataUrl?: string;
      };
  readonly adminUserIds: readonly string[];
  readonly logLevel: Env['LOG_LEVEL'];
  /** Sends a second to one conversation (Teams allows about 7). */
  readonly sendRatePerSecond: number;
  /** Sends a second to one tenant from this instance (Teams documents 50 per app; leave headroom). */
  readonly tenantSendRatePerSecond: number;
  /** A turn answers within this time whatever the connector does (Teams gives up at 15 s). */
  readonly turnDeadlineMs: number;
  /** The longest one connector call may take when no send attempt or turn bounds it. */
  readonly sendTimeoutMs: number;
  /** How long an instance may serve a conversation's link and a partnership's profile it read before. */
  readonly membershipCacheMs: number;
  readonly dataDir: string;
  readonly playground: { readonly enabled: boolean; readonly port: number };
  /** Whether this instance runs scheduled digests and reminders (every instance may; one sends each run). */
  readonly scheduler: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once, at boot; the first bad variable is named in one line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in .env files and container settings.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const shown = env[variable] === undefined ? '' : ` (got "${env[variable]}")`;
    throw new ConfigError(`Configuration error: ${variable} ${issue.message}${shown}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1',
    storageConnectionString: e.STORAGE_CONNECTION_STRING,
    auth: e.MicrosoftAppId
      ? {
          kind: 'botframework',
          appType: e.MicrosoftAppType,
          appId: e.MicrosoftAppId,
          appPassword: e.MicrosoftAppPassword,
          tenantId: e.MicrosoftAppTenantId,
        }
      : { kind: 'none' },
    adminUserIds: e.ADMIN_USER_IDS,
    logLevel: e.LOG_LEVEL,
    sendRatePerSecond: e.SEND_RATE_PER_SECOND,
    tenantSendRatePerSecond: e.TENANT_SEND_RATE_PER_SECOND,
    turnDeadlineMs: 10_000,
    sendTimeoutMs: 5_000,
    membershipCacheMs: e.MEMBERSHIP_CACHE_SECONDS * 1000,
    dataDir: e.DATA_DIR,
    playground: { enabled: e.PLAYGROUND === 'on', port: e.PLAYGROUND_PORT },
    scheduler: e.SCHEDULER === 'on',
  };
}

/** For entry points: the config, or one line naming the bad variable and exit code 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
