// Draws the Teams app icons (manifest/color.png 192×192, manifest/outline.png 32×32)
// and holds the small PNG encoder/reader the package step also uses.
// Run: npm run build && node dist/scripts/make-icons.js
// The drawing is pure arithmetic, so the same code always yields the same pixels.
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

// ---------------------------------------------------------------------------
// CRC-32 (IEEE 802.3, as PNG and ZIP use it). node:zlib.crc32 only exists from
// Node 20.15, and engines allows any Node 20.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) {
    crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}

// ---------------------------------------------------------------------------
// PNG

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGBA image, straight (not premultiplied) alpha, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8Array; // width * height * 4
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return out;
}

/** Encodes an RGBA image as a PNG: IHDR, one IDAT (filter type 0 on every row), IEND. */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4) {
    throw new Error(`encodePng: expected ${width * height * 4} bytes of RGBA, got ${pixels.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace

  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  /** true when the image can be transparent: an alpha channel or a tRNS chunk */
  hasAlpha: boolean;
}

/** Reads a PNG's header (size, colour type, transparency); throws if it is not a PNG. */
export function readPngInfo(bytes: Uint8Array): PngInfo {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new Error('not a PNG file (bad signature)');
  }
  if (buf.readUInt32BE(8) !== 13 || buf.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file (IHDR is not the first chunk)');
  }
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const bitDepth = buf[24]!;
  const colourType = buf[25]!;
  let hasAlpha = colourType === 4 || colourType === 6;
  for (let offset = 33; offset + 8 <= buf.length && !hasAlpha;) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    if (type === 'tRNS') hasAlpha = true;
    if (type === 'IDAT' || type === 'IEND') break; // tRNS must come before IDAT
    offset += 12 + length;
  }
  return { width, height, bitDepth, colourType, hasAlpha };
}

// ---------------------------------------------------------------------------
// The emblem: a white column chart of three rising columns on a baseline, with a
// tick above the short columns ("on target, signed off"). Shapes are described in
// a unit square and rasterised with supersampling, so edges are anti-aliased.

type Shape = (x: number, y: number) => boolean;

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

/** A thick line with round ends through the given points. */
function stroke(points: ReadonlyArray<readonly [number, number]>, width: number): Shape {
  const half = width / 2;
  return (x, y) => {
    for (let i = 0; i + 1 < points.length; i++) {
      const [ax, ay] = points[i]!;
      const [bx, by] = points[i + 1]!;
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
      if ((x - (ax + t * dx)) ** 2 + (y - (ay + t * dy)) ** 2 <= half * half) return true;
    }
    return false;
  };
}

/**
 * The mark in its own unit square (x right, y down). Edges sit on a 28-unit grid so
 * that the 32×32 outline (mark drawn 28 px wide) has crisp column edges.
 */
function emblem(): Shape {
  const u = (n: number): number => n / 28;
  const r = u(0.8);
  const parts: Shape[] = [
    roundedRect(u(0), u(26), u(28), u(28), r), // baseline
    roundedRect(u(1), u(17), u(7), u(24), r), // short column
    roundedRect(u(11), u(11), u(17), u(24), r), // middle column
    roundedRect(u(21), u(0), u(27), u(24), r), // tall column
    stroke(
      [
        [u(1.5), u(6.5)],
        [u(5.5), u(10.5)],
        [u(14.5), u(1.5)],
      ],
      u(3),
    ), // tick
  ];
  return (x, y) => parts.some((part) => part(x, y));
}

/** Places a unit-square shape into the box [x0, x0+size] × [y0, y0+size]. */
function placed(shape: Shape, x0: number, y0: number, size: number): Shape {
  return (x, y) => shape((x - x0) / size, (y - y0) / size);
}

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/**
 * Rasterises layers (last on top) into an RGBA image; shapes take coordinates in
 * the unit square, each pixel is sampled n×n times.
 */
function rasterise(size: number, layers: ReadonlyArray<{ shape: Shape; colour: Rgba }>, samples = 8): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0; // premultiplied sums
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          for (let i = layers.length - 1; i >= 0; i--) {
            const layer = layers[i]!;
            if (layer.shape(x, y)) {
              const alpha = layer.colour.a / 255;
              r += layer.colour.r * alpha;
              g += layer.colour.g * alpha;
              b += layer.colour.b * alpha;
              a += alpha;
              break;
            }
          }
        }
      }
      const at = (py * size + px) * 4;
      if (a > 0) {
        pixels[at] = Math.round(r / a);
        pixels[at + 1] = Math.round(g / a);
        pixels[at + 2] = Math.round(b / a);
        pixels[at + 3] = Math.round((a / (samples * samples)) * 255);
      }
    }
  }
  return { width: size, height: size, pixels };
}

/** The accent blue of the app (also the manifest's accentColor). */
export const ACCENT_BLUE = '#1F4E79';

function hex(colour: string): Rgba {
  const n = Number.parseInt(colour.slice(1), 16);
  return { r: (n >> 16) & 0xff, g: (n >> 8) & 0xff, b: n & 0xff, a: 255 };
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 255 };

/** 192×192 colour icon: the white emblem on a blue rounded square. */
export function drawColorIcon(): RgbaImage {
  return rasterise(192, [
    { shape: roundedRect(0, 0, 1, 1, 0.2), colour: hex(ACCENT_BLUE) },
    // the emblem sits inside the central safe area, away from the rounded corners
    { shape: placed(emblem(), 0.24, 0.23, 0.52), colour: WHITE },
  ]);
}

/** 32×32 outline icon: the same emblem in white on transparent, with 2 px margins. */
export function drawOutlineIcon(): RgbaImage {
  return rasterise(32, [{ shape: placed(emblem(), 2 / 32, 2 / 32, 28 / 32), colour: WHITE }]);
}

export function writeIcons(manifestDir: string): { color: string; outline: string } {
  mkdirSync(manifestDir, { recursive: true });
  const color = join(manifestDir, 'color.png');
  const outline = join(manifestDir, 'outline.png');
  writeFileSync(color, encodePng(drawColorIcon()));
  writeFileSync(outline, encodePng(drawOutlineIcon()));
  return { color, outline };
}

/** Whether the module at `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return moduleUrl === pathToFileURL(entry).href;
  }
}

/** The folder holding package.json, going up from this file (scripts/ or dist/scripts/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('make-icons: no package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

if (isMain(import.meta.url)) {
  const written = writeIcons(join(projectRoot(), 'manifest'));
  console.log(`wrote ${written.color} and ${written.outline}`);
}
