import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BOT_COMMANDS,
  COMMAND_LIMITS,
  PackageError,
  SCHEMA_URL,
  botIdFromEnv,
  buildAppPackage,
  fillManifest,
  templateValues,
  validateManifest,
  type ManifestJson,
} from '../../scripts/package-app.js';
import { fromRoot, projectRoot } from '../../src/project-root.js';

const BOT_ID = '00000000-0000-0000-0000-000000000001';
const template: unknown = JSON.parse(readFileSync(fromRoot('manifest', 'manifest.json'), 'utf8'));
const colorPng = readFileSync(fromRoot('manifest', 'color.png'));
const outlinePng = readFileSync(fromRoot('manifest', 'outline.png'));
const iconFiles = new Map<string, Uint8Array>([
  ['color.png', colorPng],
  ['outline.png', outlinePng],
]);

function filled(): ManifestJson {
  return fillManifest(template, templateValues({}, BOT_ID, '0.1.0'));
}

/** The bot entry of a filled manifest, typed loosely for tests that break it on purpose. */
interface LooseBot {
  botId: string;
  commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
}
function botOf(manifest: ManifestJson): LooseBot {
  return (manifest['bots'] as LooseBot[])[0]!;
}

/** Width, height, bit depth, colour type and interlace from the IHDR chunk, which follows the 8-byte signature. */
function ihdr(png: Buffer) {
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24],
    colourType: png[25],
    interlace: png[28],
  };
}

/** The pixels of an 8-bit RGBA PNG, each row's filter undone (PNG spec, section 9). */
function rgbaPixels(png: Buffer): Uint8Array {
  const { width, height, bitDepth, colourType, interlace } = ihdr(png);
  expect({ bitDepth, colourType, interlace }).toEqual({ bitDepth: 8, colourType: 6, interlace: 0 });
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) {
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT')
      idat.push(png.subarray(at + 8, at + 8 + png.readUInt32BE(at)));
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? pixels[y * stride + x - 4]! : 0; // left
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0; // above
      const c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4]! : 0; // above left
      const [pa, pb, pc] = [Math.abs(b - c), Math.abs(a - c), Math.abs(a + b - 2 * c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      pixels[y * stride + x] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 0xff;
    }
  }
  return pixels;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the Teams app manifest', () => {
  it('is valid once filled with a bot id, with the icons in the package', async () => {
    const manifest = filled();
    expect(await validateManifest(manifest, iconFiles)).toEqual([]);
    expect(manifest['id']).toBe(BOT_ID);
    expect(botOf(manifest).botId).toBe(BOT_ID);
    expect(manifest['manifestVersion']).toBe('1.30');
    expect(manifest['$schema']).toBe(SCHEMA_URL);
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('offers the command menu in each scope: personal, team and group chat', () => {
    const lists = botOf(filled()).commandLists;
    expect(lists.map((list) => list.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
    for (const list of lists) {
      expect(list.commands.map((c) => c.title)).toEqual([
        'help',
        'setup',
        'kpi',
        'approval',
        'project',
        'role',
        'audit',
      ]);
    }
  });

  it('lists only commands that fit the Teams menu', () => {
    expect(BOT_COMMANDS.length).toBeLessThanOrEqual(COMMAND_LIMITS.perList);
    for (const command of BOT_COMMANDS) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('takes the website, privacy and terms links from one setting', () => {
    const manifest = fillManifest(
      template,
      templateValues({ APP_WEBSITE_URL: 'https://ict.council.example/governance/' }, BOT_ID, '1.2.3'),
    );
    expect(manifest['developer']).toMatchObject({
      websiteUrl: 'https://ict.council.example/governance',
      privacyUrl: 'https://ict.council.example/governance/privacy',
      termsOfUseUrl: 'https://ict.council.example/governance/terms',
    });
    expect(manifest['version']).toBe('1.2.3');
  });

  it('is refused by the v1.30 schema bundled with @microsoft/app-manifest, without going online', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in the package step'));
    const manifest = {
      ...filled(),
      id: 'not-a-guid',
      accentColor: 'blue',
      name: { short: 'x'.repeat(31) },
      colour: '#1F4E79',
    };
    const problems = await validateManifest(manifest, iconFiles);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\(manifest\): must NOT have additional properties.*"colour"/),
        expect.stringMatching(/^id: must match pattern/),
        expect.stringMatching(/^accentColor: must match pattern/),
        expect.stringMatching(/^name\.short: must NOT have more than 30 characters/),
      ]),
    );
    expect(problems).toHaveLength(4);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a bot id that is not the app id', async () => {
    const manifest = filled();
    botOf(manifest).botId = '00000000-0000-0000-0000-000000000002';
    expect(await validateManifest(manifest, iconFiles)).toEqual([
      `bots.0.botId: must be the app id ${BOT_ID} (the bot's Microsoft App ID)`,
    ]);
  });

  it('refuses a command list of more than 10 commands, which the schema would let through', async () => {
    const manifest = filled();
    const commands = botOf(manifest).commandLists[0]!.commands;
    for (let i = commands.length; i < 11; i++) commands.push({ title: `extra${i}`, description: 'One too many' });
    expect(await validateManifest(manifest, iconFiles)).toEqual([
      'bots.0.commandLists.0.commands: must hold at most 10 commands',
    ]);
  });

  it('refuses a command title over 32 characters, a description over 128, or a title listed twice', async () => {
    const manifest = filled();
    const commands = botOf(manifest).commandLists[1]!.commands;
    commands[0]!.title = 'a'.repeat(33);
    commands[1]!.description = 'b'.repeat(129);
    const last = commands.length - 1;
    commands[last]!.title = commands[2]!.title.toUpperCase();
    expect(await validateManifest(manifest, iconFiles)).toEqual([
      'bots.0.commandLists.1.commands.0.title: must be at most 32 characters',
      'bots.0.commandLists.1.commands.1.description: must be at most 128 characters',
      `bots.0.commandLists.1.commands.${last}.title: "${commands[last]!.title}" is listed twice`,
    ]);
  });

  it('refuses links that are not https and a full name that repeats the short one', async () => {
    const manifest = {
      ...filled(),
      name: { short: 'Governance Bot', full: 'Governance Bot' },
      developer: {
        name: 'Governance Bot project',
        websiteUrl: 'http://insecure.example',
        privacyUrl: 'https://a.example/p',
        termsOfUseUrl: 'https://a.example/t',
      },
    };
    expect(await validateManifest(manifest, iconFiles)).toEqual([
      'developer.websiteUrl: must be an https:// URL',
      'name.full: must differ from name.short',
    ]);
  });

  it('refuses icons of the wrong size or missing from the package', async () => {
    const swapped = new Map<string, Uint8Array>([
      ['color.png', outlinePng],
      ['outline.png', colorPng],
    ]);
    expect(await validateManifest(filled(), swapped)).toEqual([
      'icons.color: color.png is 32×32, must be 192×192',
      'icons.outline: outline.png is 192×192, must be 32×32',
    ]);
    expect(await validateManifest(filled(), new Map([['color.png', colorPng]]))).toEqual([
      'icons.outline: outline.png is not in the package',
    ]);
  });

  it('keeps the command menu in one place and leaves no placeholder unfilled', () => {
    const withMenu = structuredClone(template) as { bots: Array<Record<string, unknown>> };
    withMenu.bots[0]!['commandLists'] = [];
    expect(() => fillManifest(withMenu, templateValues({}, BOT_ID, '0.1.0'))).toThrow(/BOT_COMMANDS/);
    expect(() => fillManifest(template, { BOT_ID })).toThrow(PackageError);
    expect(() => fillManifest(template, { BOT_ID })).toThrow(/APP_VERSION/);
  });
});

describe('the bot id from the environment', () => {
  it('is read from MicrosoftAppId, or from BOT_ID', () => {
    expect(botIdFromEnv({ MicrosoftAppId: BOT_ID })).toBe(BOT_ID);
    expect(botIdFromEnv({ BOT_ID: ` ${BOT_ID} ` })).toBe(BOT_ID);
  });

  it('is refused with one line when missing, not a GUID, or contradictory', () => {
    expect(() => botIdFromEnv({})).toThrow(/^MicrosoftAppId is not set/);
    expect(() => botIdFromEnv({ MicrosoftAppId: '' })).toThrow(/^MicrosoftAppId is not set/);
    expect(() => botIdFromEnv({ MicrosoftAppId: '1234' })).toThrow('MicrosoftAppId "1234" is not a GUID');
    expect(() => botIdFromEnv({ BOT_ID: '{00000000-0000-0000-0000-000000000001}' })).toThrow(/BOT_ID .* is not a GUID/);
    expect(() => botIdFromEnv({ MicrosoftAppId: BOT_ID, BOT_ID: '00000000-0000-0000-0000-000000000002' })).toThrow(
      /differ/,
    );
    for (const env of [{}, { MicrosoftAppId: 'x' }]) {
      try {
        botIdFromEnv(env);
      } catch (error) {
        expect(error).toBeInstanceOf(PackageError);
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });
});

describe('the app package zip', () => {
  it('holds manifest.json, color.png and outline.png at its root, byte for byte', async () => {
    const { manifest, zip } = await buildAppPackage(projectRoot, { MicrosoftAppId: BOT_ID });
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    expect(Buffer.from(files['color.png']!).equals(colorPng)).toBe(true);
    expect(Buffer.from(files['outline.png']!).equals(outlinePng)).toBe(true);
    const manifestText = Buffer.from(files['manifest.json']!).toString('utf8');
    expect(manifestText).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
    expect(JSON.parse(manifestText)).toMatchObject({ id: BOT_ID, bots: [{ botId: BOT_ID }] });
  });

  it('is the same archive every time it is built from the same inputs', async () => {
    const first = await buildAppPackage(projectRoot, { MicrosoftAppId: BOT_ID });
    const second = await buildAppPackage(projectRoot, { MicrosoftAppId: BOT_ID });
    expect(Buffer.from(second.zip).equals(Buffer.from(first.zip))).toBe(true);
  });

  it('refuses to build without a bot id', async () => {
    await expect(buildAppPackage(projectRoot, {})).rejects.toThrow(PackageError);
  });
});

describe('the icons', () => {
  it('are PNGs of 192×192 (colour) and 32×32 (outline)', () => {
    expect(ihdr(colorPng)).toMatchObject({ width: 192, height: 192 });
    expect(ihdr(outlinePng)).toMatchObject({ width: 32, height: 32 });
  });

  it('have a white outline on a transparent background', () => {
    const pixels = rgbaPixels(outlinePng);
    let opaque = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3]! > 0) {
        opaque++;
        expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([255, 255, 255]);
      }
    }
    expect(pixels[3]).toBe(0); // top-left corner is clear
    expect(opaque).toBeGreaterThan(100);
  });
});
