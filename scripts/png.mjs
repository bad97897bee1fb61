// A minimal PNG writer on node:zlib alone, for where no image library is at hand: the build's
// icons and the test server's generated pictures.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes) {
  let c = -1;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * An 8-bit PNG from RGBA pixels: RGBA, or RGB when `alpha` is false, or indexed (a palette with
 * per-entry transparency) when `indexed` is true and the picture has at most 256 distinct colours,
 * which makes flat artwork such as the icons several times smaller. Every row uses filter 0 (flat
 * colours compress well without filtering); no interlace.
 */
export function encodePng(width, height, rgba, { alpha = true, indexed = false } = {}) {
  const palette = indexed ? paletteOf(rgba) : null;
  const channels = palette ? 1 : alpha ? 4 : 3;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  // Bit depth 8; colour type indexed (3), RGBA (6) or RGB (2).
  header.set([8, palette ? 3 : alpha ? 6 : 2, 0, 0, 0], 8);
  const rowBytes = 1 + width * channels; // the leading 0 byte of each row is its filter type
  const rows = Buffer.alloc(height * rowBytes);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const from = (y * width + x) * 4;
      const to = y * rowBytes + 1 + x * channels;
      if (palette) rows[to] = palette.index.get(rgba.readUInt32BE(from));
      else rows.set(rgba.subarray(from, from + channels), to);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(palette ? [chunk('PLTE', palette.rgb), chunk('tRNS', palette.alpha)] : []),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The distinct colours of RGBA pixels, in order of first appearance, as PLTE and tRNS data. */
function paletteOf(rgba) {
  const index = new Map();
  for (let from = 0; from < rgba.length; from += 4) {
    const colour = rgba.readUInt32BE(from);
    if (!index.has(colour)) index.set(colour, index.size);
  }
  if (index.size > 256) throw new Error(`${index.size} colours do not fit a PNG palette`);
  const rgb = Buffer.alloc(index.size * 3);
  const alpha = Buffer.alloc(index.size);
  for (const [colour, i] of index) {
    rgb.writeUIntBE(colour >>> 8, i * 3, 3);
    alpha[i] = colour & 0xff;
  }
  return { index, rgb, alpha };
}
