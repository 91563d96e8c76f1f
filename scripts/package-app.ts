// `npm run package`: fills the Teams app manifest template (manifest/manifest.json)
// with the bot's Microsoft App ID, adds the command menu from the registered command families,
// validates the result and zips it with the icons into
// dist/appPackage/governance-bot.zip, ready to upload to Teams.
//
//   MicrosoftAppId=<guid> npm run package      (BOT_ID is accepted too)
//
// Optional: APP_WEBSITE_URL (https), APP_PRIVACY_URL, APP_TERMS_URL.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { buildRegistry } from '../src/commands/index.js';
import type { Services } from '../src/commands/services.js';
import { crc32, isMain, readPngInfo } from './make-icons.js';

// ---------------------------------------------------------------------------
// The command menu: the one place that lists the bot's top-level command families.
// Teams shows at most 10 commands per scope; list families, not every variant.

export const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;
export type BotScope = (typeof BOT_SCOPES)[number];

export interface BotCommand {
  /** the word a user types; at most 32 characters */
  title: string;
  /** shown under the title in the menu; at most 128 characters */
  description: string;
  /** where the command is offered; every scope of the bot when absent */
  scopes?: readonly BotScope[];
}

/** The command families as the bot registers them, so a new family reaches the menu without a second list. */
export const BOT_COMMANDS: readonly BotCommand[] = [...buildRegistry({} as Services).families.values()].map(
  (family) => ({ title: family.word, description: family.summary }),
);

export const COMMAND_LIMITS = { perList: 10, title: 32, description: 128 } as const;

// ---------------------------------------------------------------------------
// Errors the person running the step can fix: printed as one line, exit code 1.

export class PackageError extends Error {
  override name = 'PackageError';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// semver.org's recommended pattern
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const PLACEHOLDER = /\$\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/** Used for developer.websiteUrl when APP_WEBSITE_URL is not set. */
export const DEFAULT_WEBSITE_URL = 'https://example.org/governance-bot';

/** The bot's Microsoft App ID from MicrosoftAppId (or BOT_ID); throws PackageError if missing or not a GUID. */
export function botIdFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const fromAppId = env['MicrosoftAppId']?.trim() || undefined;
  const fromBotId = env['BOT_ID']?.trim() || undefined;
  if (fromAppId && fromBotId && fromAppId.toLowerCase() !== fromBotId.toLowerCase()) {
    throw new PackageError(`MicrosoftAppId (${fromAppId}) and BOT_ID (${fromBotId}) differ; set only one of them`);
  }
  const botId = fromAppId ?? fromBotId;
  const name = fromAppId ? 'MicrosoftAppId' : 'BOT_ID';
  if (botId === undefined) {
    throw new PackageError(
      "MicrosoftAppId is not set: set it (or BOT_ID) to the bot's Microsoft App ID, a GUID, and run again",
    );
  }
  if (!GUID.test(botId)) {
    throw new PackageError(`${name} "${botId}" is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
  }
  return botId;
}

/** The values for the manifest template's ${{NAME}} placeholders. */
export function templateValues(
  env: Readonly<Record<string, string | undefined>>,
  botId: string,
  appVersion: string,
): Record<string, string> {
  const website = (env['APP_WEBSITE_URL']?.trim() || DEFAULT_WEBSITE_URL).replace(/\/+$/, '');
  return {
    BOT_ID: botId,
    APP_VERSION: appVersion,
    APP_WEBSITE_URL: website,
    APP_PRIVACY_URL: env['APP_PRIVACY_URL']?.trim() || `${website}/privacy`,
    APP_TERMS_URL: env['APP_TERMS_URL']?.trim() || `${website}/terms`,
  };
}

// ---------------------------------------------------------------------------
// Filling the template

export type ManifestJson = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One command list per scope of the bot, each holding the commands offered there. */
export function commandListsFor(
  scopes: readonly string[],
  commands: readonly BotCommand[],
): Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }> {
  return scopes
    .map((scope) => ({
      scopes: [scope],
      commands: commands
        .filter((command) => command.scopes === undefined || (command.scopes as readonly string[]).includes(scope))
        .map(({ title, description }) => ({ title, description })),
    }))
    .filter((list) => list.commands.length > 0);
}

/**
 * Replaces every ${{NAME}} in the template's strings with values[NAME] and adds
 * bots[0].commandLists built from `commands`. Throws PackageError when a
 * placeholder has no value, or when the template carries its own commandLists
 * (the menu lives in BOT_COMMANDS only). The template is not modified.
 */
export function fillManifest(
  template: unknown,
  values: Readonly<Record<string, string>>,
  commands: readonly BotCommand[] = BOT_COMMANDS,
): ManifestJson {
  const missing = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) {
          missing.add(name);
          return whole;
        }
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (isRecord(node)) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    return node;
  };
  const filled = fill(template);
  if (missing.size > 0) {
    throw new PackageError(`manifest placeholders without a value: ${[...missing].sort().join(', ')}`);
  }
  if (!isRecord(filled)) throw new PackageError('the manifest template is not a JSON object');
  const bots = filled['bots'];
  const bot: unknown = Array.isArray(bots) ? bots[0] : undefined;
  if (!Array.isArray(bots) || !isRecord(bot)) {
    throw new PackageError('the manifest template has no bots[0]');
  }
  if ('commandLists' in bot) {
    throw new PackageError(
      'the manifest template has bots[0].commandLists; the command menu belongs in BOT_COMMANDS in scripts/package-app.ts',
    );
  }
  const scopes = Array.isArray(bot['scopes']) ? bot['scopes'].filter((s): s is string => typeof s === 'string') : [];
  bots[0] = { ...bot, commandLists: commandListsFor(scopes, commands) };
  return filled;
}

// ---------------------------------------------------------------------------
// Validation: the fields Teams rejects an upload for, with the limits of the schema
// (and, for the command menu, the tighter limits Teams' menu shows).

const botScope = z.enum(BOT_SCOPES);
const httpsUrl = z
  .string()
  .max(2048)
  .pipe(z.url({ protocol: /^https$/, error: 'must be an https:// URL' }));
const iconPath = z.string().regex(/^[^/\\]+\.png$/i, 'must name a .png file at the root of the package (no folders)');

const command = z.object({
  title: z
    .string()
    .min(1, 'must not be empty')
    .max(COMMAND_LIMITS.title, `must be at most ${COMMAND_LIMITS.title} characters`),
  description: z
    .string()
    .min(1, 'must not be empty')
    .max(COMMAND_LIMITS.description, `must be at most ${COMMAND_LIMITS.description} characters`),
});

const commandList = z.object({
  scopes: z.array(botScope).min(1, 'must name at least one scope'),
  commands: z
    .array(command)
    .min(1, 'must hold at least one command')
    .max(COMMAND_LIMITS.perList, `must hold at most ${COMMAND_LIMITS.perList} commands`),
});

export const manifestSchema = z.looseObject({
  $schema: z
    .string()
    .regex(/^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v[^/]+\/MicrosoftTeams\.schema\.json$/, {
      error: 'must be the Teams manifest schema URL',
    }),
  manifestVersion: z.string().regex(/^1\.\d{1,2}$/, 'must be a released version such as 1.30'),
  version: z.string().regex(SEMVER, 'must be a semantic version such as 1.0.0'),
  id: z.string().regex(GUID, 'must be a GUID'),
  developer: z.looseObject({
    name: z.string().min(1).max(32),
    websiteUrl: httpsUrl,
    privacyUrl: httpsUrl,
    termsOfUseUrl: httpsUrl,
  }),
  name: z.looseObject({
    short: z.string().min(1).max(30, 'must be at most 30 characters'),
    full: z.string().max(100, 'must be at most 100 characters').optional(),
  }),
  description: z.looseObject({
    short: z.string().min(1).max(80, 'must be at most 80 characters'),
    full: z.string().min(1).max(4000, 'must be at most 4000 characters'),
  }),
  icons: z.looseObject({ color: iconPath, outline: iconPath }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1F4E79'),
  bots: z
    .array(
      z.looseObject({
        botId: z.string().regex(GUID, 'must be a GUID'),
        scopes: z.array(botScope).min(1, 'must name at least one scope'),
        supportsFiles: z.boolean().optional(),
        isNotificationOnly: z.boolean().optional(),
        commandLists: z.array(commandList).max(3, 'at most 3 command lists').optional(),
      }),
    )
    .length(1, 'must hold exactly one bot'),
  validDomains: z.array(z.string().max(2048)).max(100).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** The bytes of the files that go into the package beside manifest.json, by name. */
export type PackageFiles = ReadonlyMap<string, Uint8Array>;

const ICON_SIZES = { color: 192, outline: 32 } as const;

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(manifest)' : path.map(String).join('.');
}

function findPlaceholders(node: unknown, path: string[], out: string[]): void {
  if (typeof node === 'string') {
    for (const match of node.matchAll(PLACEHOLDER)) out.push(`${pathOf(path)}: placeholder ${match[0]} was not filled`);
  } else if (Array.isArray(node)) {
    node.forEach((item, i) => findPlaceholders(item, [...path, String(i)], out));
  } else if (isRecord(node)) {
    for (const [key, value] of Object.entries(node)) findPlaceholders(value, [...path, key], out);
  }
}

/**
 * Checks a filled manifest, and the icons it names against `files`. Returns the
 * problems found, one readable line each; an empty list means it is fit to upload.
 */
export function validateManifest(manifest: unknown, files: PackageFiles): string[] {
  const problems: string[] = [];
  findPlaceholders(manifest, [], problems);

  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${pathOf(issue.path)}: ${issue.message}`);
    return problems;
  }
  const m = parsed.data;

  if (!m.$schema.endsWith(`/v${m.manifestVersion}/MicrosoftTeams.schema.json`)) {
    problems.push(`$schema: does not match manifestVersion ${m.manifestVersion}`);
  }
  if (m.name.full !== undefined && m.name.full === m.name.short) {
    problems.push('name.full: must differ from name.short');
  }
  if (m.description.full === m.description.short) {
    problems.push('description.full: must differ from description.short');
  }

  const bot = m.bots[0]!;
  const seenScopes = new Set<string>();
  (bot.commandLists ?? []).forEach((list, i) => {
    for (const scope of list.scopes) {
      if (!bot.scopes.includes(scope)) {
        problems.push(`bots.0.commandLists.${i}.scopes: ${scope} is not one of the bot's scopes`);
      }
      if (seenScopes.has(scope)) problems.push(`bots.0.commandLists.${i}.scopes: ${scope} has two command lists`);
      seenScopes.add(scope);
    }
    const titles = new Set<string>();
    list.commands.forEach((c, j) => {
      const key = c.title.toLowerCase();
      if (titles.has(key)) problems.push(`bots.0.commandLists.${i}.commands.${j}.title: "${c.title}" is listed twice`);
      titles.add(key);
    });
  });

  for (const kind of ['color', 'outline'] as const) {
    const name = m.icons[kind];
    const bytes = files.get(name);
    if (bytes === undefined) {
      problems.push(`icons.${kind}: ${name} is not in the package`);
      continue;
    }
    let info;
    try {
      info = readPngInfo(bytes);
    } catch (error) {
      problems.push(`icons.${kind}: ${name} is ${(error as Error).message}`);
      continue;
    }
    const size = ICON_SIZES[kind];
    if (info.width !== size || info.height !== size) {
      problems.push(`icons.${kind}: ${name} is ${info.width}×${info.height}, must be ${size}×${size}`);
    }
    if (kind === 'outline' && !info.hasAlpha) {
      problems.push(`icons.outline: ${name} has no transparency; it must be white on a transparent background`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// ZIP (PKZIP 2.0: local headers, central directory, end record; no ZIP64, no
// encryption). Entries are deflated, or stored when deflating does not help.

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** MS-DOS date and time of `when` (UTC fields, 2-second resolution). */
function dosDateTime(when: Date): { date: number; time: number } {
  const year = Math.min(Math.max(when.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
  };
}

/** A fixed timestamp for every entry, so the same inputs give the same archive. */
export const ZIP_TIMESTAMP = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));

export function buildZip(entries: readonly ZipEntry[], modified: Date = ZIP_TIMESTAMP): Buffer {
  const { date, time } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const names = new Set<string>();
  let offset = 0;

  if (entries.length > 0xffff) throw new Error('buildZip: too many entries for a zip without ZIP64');
  for (const entry of entries) {
    if (
      entry.name === '' ||
      entry.name.startsWith('/') ||
      entry.name.includes('\\') ||
      entry.name.split('/').includes('..')
    ) {
      throw new Error(`buildZip: unsafe entry name "${entry.name}"`);
    }
    if (names.has(entry.name)) throw new Error(`buildZip: "${entry.name}" appears twice`);
    names.add(entry.name);

    const name = Buffer.from(entry.name, 'utf8');
    const utf8Flag = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : 0x0800;
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const method = deflated.length < entry.data.length ? 8 : 0;
    const body = method === 8 ? deflated : Buffer.from(entry.data);
    const crc = crc32(entry.data);
    if (entry.data.length > 0xfffffffe || offset > 0xfffffffe) {
      throw new Error('buildZip: archive too large for a zip without ZIP64');
    }

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed to extract: 2.0
    local.writeUInt16LE(utf8Flag, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header signature
    central.writeUInt16LE(20, 4); // version made by: 2.0, MS-DOS attributes
    central.writeUInt16LE(20, 6); // version needed to extract
    central.writeUInt16LE(utf8Flag, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number start
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42); // offset of the local header
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }

  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...locals, directory, end]);
}

// ---------------------------------------------------------------------------
// The package step

/** The folder holding package.json, going up from `from` (a file URL or path). */
export function findProjectRoot(from: string = import.meta.url): string {
  const start = from.startsWith('file:') ? fileURLToPath(from) : from;
  let dir = start; // a file has no package.json inside it, so the loop steps up from it
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new PackageError(`no package.json above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_FILE_NAME = 'governance-bot.zip';

export interface BuiltPackage {
  manifest: ManifestJson;
  zip: Buffer;
}

/**
 * Builds the app package from the project at `root`: reads the template and the
 * icons, fills and validates the manifest, and returns the zip's bytes.
 * Throws PackageError for anything the person running it has to fix.
 */
export function buildAppPackage(root: string, env: Readonly<Record<string, string | undefined>>): BuiltPackage {
  const botId = botIdFromEnv(env);
  const manifestDir = join(root, 'manifest');
  const readJson = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new PackageError(`cannot read ${relative(root, file)}: ${(error as Error).message}`);
    }
  };
  const packageJson = readJson(join(root, 'package.json'));
  const appVersion = isRecord(packageJson) && typeof packageJson['version'] === 'string' ? packageJson['version'] : '';
  const manifest = fillManifest(readJson(join(manifestDir, 'manifest.json')), templateValues(env, botId, appVersion));

  const icons = isRecord(manifest['icons']) ? manifest['icons'] : {};
  const files = new Map<string, Uint8Array>();
  for (const kind of ['color', 'outline']) {
    const name = icons[kind];
    if (typeof name === 'string' && /^[^/\\]+$/.test(name) && existsSync(join(manifestDir, name))) {
      files.set(name, readFileSync(join(manifestDir, name)));
    }
  }

  const problems = validateManifest(manifest, files);
  if (problems.length > 0) {
    throw new PackageError(`the manifest is not valid:\n  ${problems.join('\n  ')}`);
  }
  const zip = buildZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    ...[...files].map(([name, data]) => ({ name, data })),
  ]);
  return { manifest, zip };
}

function main(): void {
  try {
    const root = findProjectRoot(import.meta.url);
    const { manifest, zip } = buildAppPackage(root, process.env);
    const outDir = join(root, 'dist', 'appPackage');
    mkdirSync(outDir, { recursive: true });
    const outFile = join(outDir, PACKAGE_FILE_NAME);
    writeFileSync(outFile, zip);
    const developer = isRecord(manifest['developer']) ? manifest['developer'] : {};
    if (developer['websiteUrl'] === DEFAULT_WEBSITE_URL) {
      console.warn(`package: APP_WEBSITE_URL is not set; the manifest links to ${DEFAULT_WEBSITE_URL} for now`);
    }
    console.log(
      `package: wrote ${relative(process.cwd(), outFile) || outFile} (${zip.length} bytes; ` +
        `manifest ${String(manifest['manifestVersion'])}, app ${String(manifest['version'])}, bot ${String(manifest['id'])})`,
    );
  } catch (error) {
    if (error instanceof PackageError) {
      console.error(`package: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

if (isMain(import.meta.url)) main();
