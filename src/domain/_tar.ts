// A minimal tar (POSIX ustar) writer and reader: enough for a bundle of regular files, so
// bundles need no dependency and `tar czf` output is accepted. The reader knows the headers
// GNU, BSD and pax tars add (long names, pax records) and refuses links and devices.

const BLOCK = 512;

export interface TarEntry {
  path: string;
  content: Uint8Array;
}

/** What the reader met that is not a regular file or a folder (a symlink, a device…). */
export interface TarSpecialEntry {
  path: string;
  type: string;
}

/** Writes regular files (paths up to 255 bytes, '/'-separated), in the given order, with fixed metadata. */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    blocks.push(header(entry.path, entry.content.byteLength));
    blocks.push(Buffer.from(entry.content));
    const padding = (BLOCK - (entry.content.byteLength % BLOCK)) % BLOCK;
    if (padding > 0) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

function header(path: string, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { name, prefix } = splitPath(path);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'ascii'); // mode
  block.write('0000000\0', 108, 'ascii'); // uid
  block.write('0000000\0', 116, 'ascii'); // gid
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  block.write('00000000000\0', 136, 'ascii'); // mtime: fixed, so equal files make equal archives
  block.write('        ', 148, 'ascii'); // checksum placeholder
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** ustar keeps names over 100 bytes as prefix (up to 155) + '/' + name (up to 100). */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const prefix = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { name, prefix };
  }
  throw new Error(`path too long for a tar header: ${path}`);
}

/**
 * Reads a tar's entries. Folders are skipped; anything else that is not a regular file is
 * returned in `special` (the caller refuses it). Throws on a malformed archive.
 */
export function readTar(bytes: Uint8Array): { files: TarEntry[]; special: TarSpecialEntry[] } {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const files: TarEntry[] = [];
  const special: TarSpecialEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (offset + BLOCK <= data.length) {
    const block = data.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) return { files, special };
    if (!checksumMatches(block)) throw new Error(`bad tar header checksum at byte ${offset}`);
    const size = readOctal(block.subarray(124, 136));
    const type = String.fromCharCode(block[156]!) || '0';
    const bodyStart = offset + BLOCK;
    const bodyEnd = bodyStart + size;
    if (bodyEnd > data.length) throw new Error('tar archive ends inside an entry');
    const body = data.subarray(bodyStart, bodyEnd);
    offset = bodyStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') {
      longName = cString(body);
      continue;
    }
    if (type === 'x') {
      paxPath = paxRecords(body).get('path') ?? paxPath;
      continue;
    }
    if (type === 'g') continue; // global pax header: nothing a bundle needs
    const path = paxPath ?? longName ?? headerPath(block);
    paxPath = undefined;
    longName = undefined;
    if (type === '5') continue;
    if (type === '0' || type === '\0' || type === '7') files.push({ path, content: Buffer.from(body) });
    else special.push({ path, type });
  }
  throw new Error('tar archive has no end marker');
}

function headerPath(block: Buffer): string {
  const name = cString(block.subarray(0, 100));
  const isUstar = block.subarray(257, 262).toString('ascii') === 'ustar';
  const prefix = isUstar ? cString(block.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}

function readOctal(field: Buffer): number {
  // GNU base-256 for sizes over 8 GiB: far past any bundle limit.
  if ((field[0]! & 0x80) !== 0) throw new Error('tar entry too large');
  const text = field.toString('ascii').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]*$/.test(text)) throw new Error(`bad tar number "${text}"`);
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumMatches(block: Buffer): boolean {
  const stored = readOctal(block.subarray(148, 156));
  let sum = 0;
  for (let index = 0; index < BLOCK; index += 1) sum += index >= 148 && index < 156 ? 0x20 : block[index]!;
  return sum === stored;
}

/** pax records: "<length> <key>=<value>\n", repeated. */
function paxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(0x20, offset);
    const length = Number(body.subarray(offset, space).toString('ascii'));
    if (space === -1 || !Number.isInteger(length) || length <= 0) throw new Error('bad pax header');
    const record = body.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}
