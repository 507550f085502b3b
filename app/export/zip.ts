/**
 * A small zip writer, enough for an .xlsx: each entry deflated (`node:zlib`), with its CRC-32, a local header, and
 * the central directory at the end. No zip64: an entry or the archive above 4 GiB is refused.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const LIMIT = 0xffff_ffff;
/** 1980-01-01 00:00, the earliest time a zip can record: the archive is the same bytes whenever it is made. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

export function zip(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 6 });
    const crc = crc32(entry.data);
    if (entry.data.length > LIMIT || compressed.length > LIMIT || offset > LIMIT) {
      throw new Error('The export is too large for a workbook (over 4 GB). Export it as CSV instead.');
    }
    const fields = { crc, compressedSize: compressed.length, size: entry.data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    // extra: none.
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // made by: 2.0
    writeEntryFields(header, 6, fields);
    // extra, comment, disk, internal and external attributes: none.
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, compressed);
    central.push(header, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  if (entries.length > 0xffff || offset > LIMIT) {
    throw new Error('The export is too large for a workbook. Export it as CSV instead.');
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/**
 * The fields an entry's local header and its central directory record share, in the same order: from "version
 * needed" to the name's length, written at `at`.
 */
function writeEntryFields(
  buffer: Buffer,
  at: number,
  entry: { crc: number; compressedSize: number; size: number; nameLength: number },
): void {
  buffer.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  buffer.writeUInt16LE(0x0800, at + 2); // names are UTF-8
  buffer.writeUInt16LE(8, at + 4); // deflate
  buffer.writeUInt16LE(DOS_TIME, at + 6);
  buffer.writeUInt16LE(DOS_DATE, at + 8);
  buffer.writeUInt32LE(entry.crc, at + 10);
  buffer.writeUInt32LE(entry.compressedSize, at + 14);
  buffer.writeUInt32LE(entry.size, at + 18);
  buffer.writeUInt16LE(entry.nameLength, at + 22);
}
