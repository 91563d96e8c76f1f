import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  crc32,
  drawColorIcon,
  drawOutlineIcon,
  encodePng,
  readPngInfo,
  type RgbaImage,
} from '../../scripts/make-icons.js';
import {
  BOT_COMMANDS,
  COMMAND_LIMITS,
  PackageError,
  botIdFromEnv,
  buildAppPackage,
  buildZip,
  fillManifest,
  findProjectRoot,
  templateValues,
  validateManifest,
  type ManifestJson,
} from '../../scripts/package-app.js';

const root = findProjectRoot(import.meta.url);
const BOT_ID = '00000000-0000-0000-0000-000000000001';
const template: unknown = JSON.parse(readFileSync(join(root, 'manifest', 'manifest.json'), 'utf8'));
const colorPng = readFileSync(join(root, 'manifest', 'color.png'));
const outlinePng = readFileSync(join(root, 'manifest', 'outline.png'));
const iconFiles = new Map<string, Uint8Array>([
  ['color.png', colorPng],
  ['outline.png', outlinePng],
]);

function filled(): ManifestJson {
  return fillManifest(template, templateValues({}, BOT_ID, '0.1.0'));
}

/** The bot entry of a filled manifest, typed loosely for tests that break it on purpose. */
interface LooseBot {
  commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
}
function botOf(manifest: ManifestJson): LooseBot {
  return (manifest['bots'] as LooseBot[])[0]!;
}

/** Reads a zip through its central directory, as an unzip tool would. */
function readZip(zip: Buffer): Map<string, Buffer> {
  let end = -1;
  for (let i = zip.length - 22; i >= 0; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  let at = zip.readUInt32LE(end + 16);
  expect(at + directorySize).toBe(end);

  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);

    expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
    expect(zip.toString('utf8', localOffset + 30, localOffset + 30 + zip.readUInt16LE(localOffset + 26))).toBe(name);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const body = zip.subarray(dataStart, dataStart + compressedSize);
    expect([0, 8]).toContain(method);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** Decodes the PNGs make-icons writes (8-bit RGBA, filter type 0 on every row). */
function decodeOwnPng(png: Buffer): RgbaImage {
  const { width, height } = readPngInfo(png);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    expect(crc32(png.subarray(at + 4, at + 8 + length))).toBe(png.readUInt32BE(at + 8 + length));
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, pixels };
}

describe('the Teams app manifest', () => {
  it('is valid once filled with a bot id, with the icons in the package', () => {
    const manifest = filled();
    expect(validateManifest(manifest, iconFiles)).toEqual([]);
    expect(manifest['id']).toBe(BOT_ID);
    expect((manifest['bots'] as Array<{ botId: string }>)[0]!.botId).toBe(BOT_ID);
    expect(manifest['manifestVersion']).toBe('1.30');
    expect(manifest['$schema']).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json',
    );
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('offers the command menu in each scope: personal, team and group chat', () => {
    const lists = botOf(filled()).commandLists;
    expect(lists.map((list) => list.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
    for (const list of lists) {
      expect(list.commands.map((c) => c.title)).toEqual(['help', 'setup', 'role', 'audit', 'kpi']);
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

  it('refuses an id or bot id that is not a GUID', () => {
    const manifest = fillManifest(template, templateValues({}, 'not-a-guid', '0.1.0'));
    const problems = validateManifest(manifest, iconFiles);
    expect(problems).toContain('id: must be a GUID');
    expect(problems).toContain('bots.0.botId: must be a GUID');
  });

  it('refuses a command list of more than 10 commands', () => {
    const manifest = filled();
    const commands = botOf(manifest).commandLists[0]!.commands;
    for (let i = commands.length; i < 11; i++) commands.push({ title: `extra${i}`, description: 'One too many' });
    expect(validateManifest(manifest, iconFiles)).toEqual([
      'bots.0.commandLists.0.commands: must hold at most 10 commands',
    ]);
  });

  it('refuses a command title over 32 characters or a description over 128', () => {
    const manifest = filled();
    const commands = botOf(manifest).commandLists[1]!.commands;
    commands[0]!.title = 'a'.repeat(33);
    commands[1]!.description = 'b'.repeat(129);
    expect(validateManifest(manifest, iconFiles)).toEqual([
      'bots.0.commandLists.1.commands.0.title: must be at most 32 characters',
      'bots.0.commandLists.1.commands.1.description: must be at most 128 characters',
    ]);
  });

  it('refuses the other fields Teams checks: version, names, description, colour, links', () => {
    const manifest = {
      ...filled(),
      version: '1.0',
      name: { short: 'x'.repeat(31) },
      description: { short: 'y'.repeat(81), full: 'z'.repeat(4001) },
      accentColor: 'blue',
      developer: {
        name: 'Governance Bot project',
        websiteUrl: 'http://insecure.example',
        privacyUrl: 'https://a.example/p',
        termsOfUseUrl: 'https://a.example/t',
      },
    };
    expect(validateManifest(manifest, iconFiles)).toEqual([
      'version: must be a semantic version such as 1.0.0',
      'developer.websiteUrl: must be an https:// URL',
      'name.short: must be at most 30 characters',
      'description.short: must be at most 80 characters',
      'description.full: must be at most 4000 characters',
      'accentColor: must be a colour like #1F4E79',
    ]);
  });

  it('refuses icons of the wrong size or missing from the package', () => {
    const swapped = new Map<string, Uint8Array>([
      ['color.png', outlinePng],
      ['outline.png', colorPng],
    ]);
    expect(validateManifest(filled(), swapped)).toEqual([
      'icons.color: color.png is 32×32, must be 192×192',
      'icons.outline: outline.png is 192×192, must be 32×32',
    ]);
    expect(validateManifest(filled(), new Map([['color.png', colorPng]]))).toEqual([
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
  it('holds manifest.json, color.png and outline.png at its root, byte for byte', () => {
    const { manifest, zip } = buildAppPackage(root, { MicrosoftAppId: BOT_ID });
    const files = readZip(zip);
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    expect(files.get('color.png')!.equals(colorPng)).toBe(true);
    expect(files.get('outline.png')!.equals(outlinePng)).toBe(true);
    expect(files.get('manifest.json')!.toString('utf8')).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
    expect(JSON.parse(files.get('manifest.json')!.toString('utf8'))).toMatchObject({ id: BOT_ID });
  });

  it('refuses to build without a bot id', () => {
    expect(() => buildAppPackage(root, {})).toThrow(PackageError);
  });

  it('round-trips stored and deflated entries, and is the same every time', () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('kpi record FTF 72.5 '.repeat(50)) }, // compresses: deflated
      { name: 'b.bin', data: new Uint8Array([0x8f, 0x12, 0xfe]) }, // does not: stored
      { name: 'empty', data: new Uint8Array(0) },
    ];
    const zip = buildZip(entries);
    const files = readZip(zip);
    for (const entry of entries) expect(files.get(entry.name)!.equals(Buffer.from(entry.data))).toBe(true);
    expect(buildZip(entries).equals(zip)).toBe(true);
  });

  it('refuses unsafe or repeated names', () => {
    expect(() => buildZip([{ name: '../manifest.json', data: new Uint8Array(1) }])).toThrow(/unsafe/);
    expect(() =>
      buildZip([
        { name: 'x', data: new Uint8Array(1) },
        { name: 'x', data: new Uint8Array(1) },
      ]),
    ).toThrow(/twice/);
  });
});

describe('the icons', () => {
  it('are PNGs of 192×192 (colour) and 32×32 (outline, with transparency)', () => {
    expect(readPngInfo(colorPng)).toMatchObject({ width: 192, height: 192 });
    expect(readPngInfo(outlinePng)).toMatchObject({ width: 32, height: 32, hasAlpha: true });
  });

  it('have a white outline on a transparent background', () => {
    const { pixels } = decodeOwnPng(outlinePng);
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

  it('are what scripts/make-icons.ts draws', () => {
    expect(decodeOwnPng(colorPng)).toEqual(drawColorIcon());
    expect(decodeOwnPng(outlinePng)).toEqual(drawOutlineIcon());
  });

  it('use a correct CRC-32 and a PNG encoder that round-trips', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const image = { width: 2, height: 1, pixels: new Uint8Array([1, 2, 3, 4, 250, 251, 252, 253]) };
    expect(decodeOwnPng(encodePng(image))).toEqual(image);
  });
});
