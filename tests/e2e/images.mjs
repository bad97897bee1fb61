// Test pictures for the browser tests. Each one is four flat quadrants in colours far apart, so
// the layout survives JPEG compression and resampling and shows at once whether an image was
// rotated or mirrored on its way to the server.

import assert from 'node:assert/strict';

import jpeg from 'jpeg-js';

const PALETTE = {
  red: [220, 30, 30],
  green: [30, 170, 60],
  blue: [30, 60, 220],
  yellow: [240, 220, 40],
};

export const STORED_LAYOUT = { topLeft: 'red', topRight: 'green', bottomLeft: 'blue', bottomRight: 'yellow' };

// What a viewer shows for STORED_LAYOUT tagged with EXIF orientation 6 ("rotate 90° clockwise"):
// the stored top row becomes the right column.
export const ROTATED_CLOCKWISE_LAYOUT = {
  topLeft: 'blue',
  topRight: 'red',
  bottomLeft: 'yellow',
  bottomRight: 'green',
};

/** A baseline JPEG of the given size showing `layout` as four quadrants. */
export function quadrantJpeg(width, height, layout = STORED_LAYOUT) {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const vertical = y < height / 2 ? 'top' : 'bottom';
      const horizontal = x < width / 2 ? 'Left' : 'Right';
      const [r, g, b] = PALETTE[layout[vertical + horizontal]];
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return Buffer.from(jpeg.encode({ data, width, height }, 90).data);
}

/**
 * A sequential 4:2:0 JPEG of one palette colour at any size, written directly rather than encoded:
 * every coefficient is zero but the DC of the first blocks, so a block costs 5 bits and a
 * 200-megapixel phone photo's file takes milliseconds, with no pixels behind it.
 */
export function flatJpeg(width, height, colourName) {
  const segment = (marker, body) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const header = [
    0xff, 0xd8,
    ...segment(0xdb, [0, ...new Array(64).fill(8)]), // with 8 everywhere a DC coefficient is the level minus 128
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]),
    // DC: the twelve size categories, each a 4-bit code equal to the category. AC: end-of-block only, "0".
    ...segment(0xc4, [0x00, 0, 0, 0, 12, ...new Array(12).fill(0), ...Array.from({ length: 12 }, (_, i) => i),
      0x10, 1, ...new Array(15).fill(0), 0]),
    ...segment(0xda, [3, 1, 0, 2, 0, 3, 0, 0, 63, 0]),
  ];
  // The first MCU (4 Y blocks, Cb, Cr) sets the colour; every later block repeats its predecessor's
  // DC, a difference of 0: all zero bits.
  const [r, g, b] = PALETTE[colourName];
  const level = (value) => Math.round(Math.min(255, Math.max(0, value))) - 128;
  const firstBits = [
    level(0.299 * r + 0.587 * g + 0.114 * b), 0, 0, 0,
    level(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
    level(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
  ].map((difference) => {
    const category = difference === 0 ? 0 : Math.floor(Math.log2(Math.abs(difference))) + 1;
    const value = difference < 0 ? difference + (1 << category) - 1 : difference;
    return category.toString(2).padStart(4, '0') + (category ? value.toString(2).padStart(category, '0') : '') + '0';
  }).join('');
  const mcus = Math.ceil(width / 16) * Math.ceil(height / 16);
  const bitCount = firstBits.length + (mcus - 1) * 30;
  const scan = Buffer.alloc(Math.ceil(bitCount / 8)); // zeros
  for (let i = 0; i < firstBits.length; i += 1) if (firstBits[i] === '1') scan[i >> 3] |= 0x80 >> (i & 7);
  for (let i = bitCount; i < scan.length * 8; i += 1) scan[i >> 3] |= 0x80 >> (i & 7); // pad with 1-bits
  if (scan.includes(0xff)) throw new Error('this colour would need byte stuffing');
  return Buffer.concat([Buffer.from(header), scan, Buffer.from([0xff, 0xd9])]);
}

/**
 * Inserts an APP1 Exif segment carrying only the Orientation tag right after the JPEG's SOI
 * marker, the way cameras and phones tag pictures taken in portrait.
 */
export function withExifOrientation(jpegBytes, orientation) {
  if (jpegBytes[0] !== 0xff || jpegBytes[1] !== 0xd8) throw new Error('not a JPEG');
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, // "MM": big-endian TIFF, magic 42
    0x00, 0x00, 0x00, 0x08, // the first IFD follows the header
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, // tag 0x0112 Orientation, type SHORT
    0x00, 0x00, 0x00, 0x01, // count 1
    0x00, orientation, 0x00, 0x00, // the value, left-aligned in the 4-byte field
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segmentLength = payload.length + 2; // the length field counts itself
  const header = Buffer.from([0xff, 0xe1, segmentLength >> 8, segmentLength & 0xff]);
  return Buffer.concat([jpegBytes.subarray(0, 2), header, payload, jpegBytes.subarray(2)]);
}

export function decodeJpeg(bytes) {
  return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
}

function nearestPaletteColour(pixel) {
  let best = null;
  let bestDistance = Infinity;
  for (const [name, colour] of Object.entries(PALETTE)) {
    const distance = colour.reduce((sum, channel, i) => sum + (channel - pixel[i]) ** 2, 0);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  // Far from every palette colour means the picture is not ours (or badly damaged).
  return bestDistance < 60 ** 2 ? best : `unrecognised rgb(${pixel.join(', ')})`;
}

/** The [r, g, b] at the centre of each quadrant of a decoded image. */
export function quadrantPixels(image) {
  const at = (x, y) => {
    const offset = (y * image.width + x) * 4;
    return Array.from(image.data.subarray(offset, offset + 3));
  };
  const left = Math.floor(image.width / 4);
  const right = Math.floor((image.width * 3) / 4);
  const top = Math.floor(image.height / 4);
  const bottom = Math.floor((image.height * 3) / 4);
  return { topLeft: at(left, top), topRight: at(right, top), bottomLeft: at(left, bottom), bottomRight: at(right, bottom) };
}

/** The palette colour at the centre of each quadrant of a decoded image. */
export function quadrantsOf(image) {
  return Object.fromEntries(Object.entries(quadrantPixels(image)).map(([quadrant, pixel]) => [quadrant, nearestPaletteColour(pixel)]));
}

/** Deterministic noise that no image decoder accepts (it does not start with any magic). */
export function corruptBytes(length) {
  const bytes = Buffer.alloc(length);
  let state = 0x2545f491;
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  bytes[0] = 0x00; // never FF D8 (JPEG), 89 50 (PNG), "GI" (GIF) or "BM" (BMP) by accident
  return bytes;
}

// What a viewer shows for STORED_LAYOUT tagged with EXIF orientation 8 ("rotate 90°
// counter-clockwise"): the stored top row becomes the left column, its right end on top.
export const ROTATED_COUNTERCLOCKWISE_LAYOUT = {
  topLeft: 'green',
  topRight: 'yellow',
  bottomLeft: 'red',
  bottomRight: 'blue',
};

/** The [r, g, b] of each quadrant of `layout`, for pictures drawn elsewhere (a browser canvas). */
export function quadrantColours(layout = STORED_LAYOUT) {
  return Object.fromEntries(Object.entries(layout).map(([quadrant, name]) => [quadrant, PALETTE[name]]));
}

/* --- pictures the browser encodes, and WebP containers around them ------------------------ */

const MAGIC = {
  'image/webp': (bytes) => bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP',
  'image/png': (bytes) => bytes.toString('latin1', 1, 4) === 'PNG',
  'image/jpeg': (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8,
};

/**
 * A quadrant picture drawn on a canvas in `page` and encoded by the browser as `type`: Node has no
 * WebP encoder. The quadrant named by `transparent` is left untouched, i.e. transparent black, so
 * an upload that dropped the alpha channel would show it black rather than white. The one named by
 * `striped` holds 1-pixel black and white columns instead of its colour: downscaled without
 * aliasing they become an even grey.
 */
export async function encodeInBrowser(page, {
  width, height, type, quality, layout = STORED_LAYOUT, transparent = null, striped = null, colorSpace = 'srgb',
}) {
  const base64 = await page.evaluate(async ({ width, height, type, quality, colours, transparent, striped, colorSpace }) => {
    const canvas = new OffscreenCanvas(width, height);
    // On a 'display-p3' canvas the sRGB fills are stored as Display P3 numbers, and the file
    // carries Chromium's Display P3 profile, as an iPhone photo carries Apple's.
    const context = canvas.getContext('2d', { colorSpace });
    const [halfWidth, halfHeight] = [width / 2, height / 2];
    const origins = {
      topLeft: [0, 0],
      topRight: [halfWidth, 0],
      bottomLeft: [0, halfHeight],
      bottomRight: [halfWidth, halfHeight],
    };
    for (const [quadrant, [r, g, b]] of Object.entries(colours)) {
      if (quadrant === transparent) continue;
      context.fillStyle = quadrant === striped ? 'black' : `rgb(${r}, ${g}, ${b})`;
      context.fillRect(...origins[quadrant], halfWidth, halfHeight);
    }
    if (striped) {
      const [left, top] = origins[striped];
      context.fillStyle = 'white';
      for (let x = left; x < left + halfWidth; x += 2) context.fillRect(x, top, 1, halfHeight);
    }
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type, quality })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }, { width, height, type, quality, colours: quadrantColours(layout), transparent, striped, colorSpace });
  const bytes = Buffer.from(base64, 'base64');
  // convertToBlob quietly writes PNG for a type it cannot encode; the test would then not test WebP.
  assert.ok(MAGIC[type](bytes), `the browser did not encode ${type}`);
  return bytes;
}

/** A file that says WebP in its RIFF header but whose VP8 bitstream is noise. */
export function corruptWebp() {
  return riffWebp(riffChunk('VP8 ', corruptBytes(2048)));
}

function riffChunk(fourcc, payload) {
  const header = Buffer.alloc(8);
  header.write(fourcc, 0, 'latin1');
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload, Buffer.alloc(payload.length % 2)]);
}

function riffWebp(chunks) {
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + chunks.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, chunks]);
}

/**
 * A one-frame animation made from a lossless still (`width`×`height`, VP8L): the core leaves
 * animated WebP to the browser, which decodes the first frame. No encoder here writes animations.
 */
export function animatedWebp(still, width, height) {
  let at = 12;
  const length = () => still.readUInt32LE(at + 4);
  while (still.toString('latin1', at, at + 4) !== 'VP8L') at += 8 + length() + (length() % 2);
  const bitstream = still.subarray(at + 8, at + 8 + length());
  const uint24 = (value) => Buffer.from([value & 0xff, (value >> 8) & 0xff, value >> 16]);
  const canvas = Buffer.concat([Buffer.from([0x02 | 0x10, 0, 0, 0]), uint24(width - 1), uint24(height - 1)]); // animation, alpha
  const frame = Buffer.concat([uint24(0), uint24(0), uint24(width - 1), uint24(height - 1), uint24(100), Buffer.from([0])]);
  return riffWebp(Buffer.concat([
    riffChunk('VP8X', canvas),
    riffChunk('ANIM', Buffer.alloc(6)), // background colour, loop count
    riffChunk('ANMF', Buffer.concat([frame, riffChunk('VP8L', bitstream)])),
  ]));
}
