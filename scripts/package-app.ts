// `npm run package`: fills the Teams app manifest template (manifest/manifest.json)
// with the bot's Microsoft App ID, adds the command menu from the registered command families,
// validates the result against the manifest schema bundled in @microsoft/app-manifest (offline)
// and our own rules, and zips it with the icons into dist/appPackage/governance-bot.zip,
// ready to upload to Teams.
//
//   MicrosoftAppId=<guid> npm run package      (BOT_ID is accepted too)
//
// Optional: APP_WEBSITE_URL (https), APP_PRIVACY_URL, APP_TERMS_URL.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppManifestUtils, type AppManifest, type TeamsManifestLatest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { buildRegistry } from '../src/commands/index.js';
import type { Services } from '../src/commands/services.js';
import { projectRoot } from '../src/project-root.js';

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

/**
 * The command families as the bot registers them, so a new family reaches the menu without a second list.
 * Families build their repositories around the tables without opening them, so no storage is needed here.
 */
export const BOT_COMMANDS: readonly BotCommand[] = buildRegistry({ tables: {} } as unknown as Services).registered.map(
  (family) => ({
    title: family.words[0]!,
    description: family.summary,
  }),
);

export const COMMAND_LIMITS = { perList: 10, title: 32, description: 128 } as const;

// ---------------------------------------------------------------------------
// Errors the person running the step can fix: printed as one line, exit code 1.

export class PackageError extends Error {
  override name = 'PackageError';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
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
// Validation: the schema is Microsoft's, read from the package on disk (the library would
// otherwise fetch it); below it, only the rules Teams applies that the schema cannot say.

/** The manifest version the template uses and the bundled schema it is checked against. */
export const MANIFEST_VERSION = '1.30';
export const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

type ManifestSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;
let bundledSchema: ManifestSchema | undefined;

/** The Teams manifest schema as shipped inside @microsoft/app-manifest; never fetched. */
function manifestSchema(): ManifestSchema {
  if (bundledSchema === undefined) {
    const packageDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));
    const file = join(
      packageDir,
      'build',
      'json-schemas',
      'teams',
      `v${MANIFEST_VERSION}`,
      'MicrosoftTeams.schema.json',
    );
    try {
      bundledSchema = JSON.parse(readFileSync(file, 'utf8')) as ManifestSchema;
    } catch (error) {
      throw new PackageError(
        `the v${MANIFEST_VERSION} manifest schema is not in @microsoft/app-manifest: ${(error as Error).message}`,
      );
    }
  }
  return bundledSchema;
}

/** "/bots/0/botId must match …" as "bots.0.botId: must match …", like our own lines. */
function schemaLine(line: string): string {
  return line.replace(/^(\/\S*)? /, (_, path: string | undefined) =>
    path ? `${path.slice(1).replaceAll('/', '.')}: ` : '(manifest): ',
  );
}

/** The bytes of the files that go into the package beside manifest.json, by name. */
export type PackageFiles = ReadonlyMap<string, Uint8Array>;

export const ICON_SIZES = { color: 192, outline: 32 } as const;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Size and transparency from a PNG's chunks: IHDR comes first, tRNS (if any) before the image data. */
export function pngHeader(bytes: Uint8Array): { width: number; height: number; transparent: boolean } | undefined {
  const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    return undefined;
  }
  let transparent = png[25] === 4 || png[25] === 6; // grey or truecolour with alpha
  for (let at = 33; at + 8 <= png.length && !transparent; at += 12 + png.readUInt32BE(at)) {
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') break;
    transparent = type === 'tRNS';
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), transparent };
}

function findPlaceholders(node: unknown, path: string[], out: string[]): void {
  if (typeof node === 'string') {
    for (const match of node.matchAll(PLACEHOLDER)) {
      out.push(`${path.join('.') || '(manifest)'}: placeholder ${match[0]} was not filled`);
    }
  } else if (Array.isArray(node)) {
    node.forEach((item, i) => findPlaceholders(item, [...path, String(i)], out));
  } else if (isRecord(node)) {
    for (const [key, value] of Object.entries(node)) findPlaceholders(value, [...path, key], out);
  }
}

/** The rules Teams applies beyond the schema, on a manifest the schema accepts. */
function teamsRules(m: TeamsManifestLatest, files: PackageFiles): string[] {
  const problems: string[] = [];
  if (m.$schema !== SCHEMA_URL) problems.push(`$schema: must be ${SCHEMA_URL}, the schema of manifestVersion 1.30`);
  for (const link of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const) {
    if (!/^https:\/\//i.test(m.developer[link])) problems.push(`developer.${link}: must be an https:// URL`);
  }
  if (m.name.full !== undefined && m.name.full === m.name.short) {
    problems.push('name.full: must differ from name.short');
  }
  if (m.description.full === m.description.short) {
    problems.push('description.full: must differ from description.short');
  }

  const bot = m.bots?.[0];
  if (bot === undefined) return [...problems, 'bots: must hold the bot'];
  if (bot.botId.toLowerCase() !== m.id.toLowerCase()) {
    problems.push(`bots.0.botId: must be the app id ${m.id} (the bot's Microsoft App ID)`);
  }
  const botScopes: readonly string[] = bot.scopes;
  const seenScopes = new Set<string>();
  (bot.commandLists ?? []).forEach((list, i) => {
    const at = `bots.0.commandLists.${i}`;
    for (const scope of list.scopes) {
      if (!botScopes.includes(scope)) problems.push(`${at}.scopes: ${scope} is not one of the bot's scopes`);
      if (seenScopes.has(scope)) problems.push(`${at}.scopes: ${scope} has two command lists`);
      seenScopes.add(scope);
    }
    // the schema allows 12 commands and longer texts; the Teams menu shows 10, 32 and 128
    if (list.commands.length > COMMAND_LIMITS.perList) {
      problems.push(`${at}.commands: must hold at most ${COMMAND_LIMITS.perList} commands`);
    }
    const titles = new Set<string>();
    list.commands.forEach((c, j) => {
      if (c.title.length > COMMAND_LIMITS.title) {
        problems.push(`${at}.commands.${j}.title: must be at most ${COMMAND_LIMITS.title} characters`);
      }
      if ((c.description ?? '').length > COMMAND_LIMITS.description) {
        problems.push(`${at}.commands.${j}.description: must be at most ${COMMAND_LIMITS.description} characters`);
      }
      if (titles.has(c.title.toLowerCase())) problems.push(`${at}.commands.${j}.title: "${c.title}" is listed twice`);
      titles.add(c.title.toLowerCase());
    });
  });

  for (const kind of ['color', 'outline'] as const) {
    const name = m.icons[kind];
    const size = ICON_SIZES[kind];
    const bytes = files.get(name);
    const png = bytes && pngHeader(bytes);
    if (!/^[^/\\]+\.png$/i.test(name)) {
      problems.push(`icons.${kind}: must name a .png file at the root of the package (no folders)`);
    } else if (bytes === undefined) {
      problems.push(`icons.${kind}: ${name} is not in the package`);
    } else if (png === undefined) {
      problems.push(`icons.${kind}: ${name} is not a PNG file`);
    } else if (png.width !== size || png.height !== size) {
      problems.push(`icons.${kind}: ${name} is ${png.width}×${png.height}, must be ${size}×${size}`);
    } else if (kind === 'outline' && !png.transparent) {
      problems.push(`icons.outline: ${name} has no transparency; it must be white on a transparent background`);
    }
  }
  return problems;
}

/**
 * Checks a filled manifest against the bundled v1.30 schema, then against the rules Teams
 * applies beyond it (the icons it names are looked up in `files`). Returns the problems found,
 * one readable line each; an empty list means it is fit to upload. Never goes online.
 */
export async function validateManifest(manifest: unknown, files: PackageFiles): Promise<string[]> {
  const problems: string[] = [];
  findPlaceholders(manifest, [], problems);
  const schemaProblems = await AppManifestUtils.validateAgainstSchema(manifest as AppManifest, manifestSchema());
  problems.push(...schemaProblems.map(schemaLine));
  if (problems.length > 0) return problems;
  return teamsRules(manifest as TeamsManifestLatest, files);
}

// ---------------------------------------------------------------------------
// The package step

export const PACKAGE_FILE_NAME = 'governance-bot.zip';

/** A fixed time for every entry, so the same inputs give the same archive. */
export const ZIP_TIMESTAMP = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));

export interface BuiltPackage {
  manifest: ManifestJson;
  zip: Uint8Array;
}

/**
 * Builds the app package from the project at `root`: reads the template and the
 * icons, fills and validates the manifest, and returns the zip's bytes.
 * Throws PackageError for anything the person running it has to fix.
 */
export async function buildAppPackage(
  root: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<BuiltPackage> {
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

  const problems = await validateManifest(manifest, files);
  if (problems.length > 0) {
    throw new PackageError(`the manifest is not valid:\n  ${problems.join('\n  ')}`);
  }
  const zip = zipSync(
    {
      'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
      // PNGs are compressed already: stored as they are
      ...Object.fromEntries([...files].map(([name, data]) => [name, [data, { level: 0 }] as const])),
    },
    { level: 9, mtime: ZIP_TIMESTAMP },
  );
  return { manifest, zip };
}

async function main(): Promise<void> {
  try {
    const { manifest, zip } = await buildAppPackage(projectRoot, process.env);
    const outDir = join(projectRoot, 'dist', 'appPackage');
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
