// Text and attribute values for XML 1.0. Locust error texts can hold ANSI colours and other
// control characters that XML forbids even escaped; a JUnit consumer would reject the file.
import { stripVTControlCharacters } from 'node:util';

const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return stripVTControlCharacters(text)
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** ` name="value"` pairs in the given order; undefined values are left out. */
export function xmlAttributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    // Parsers turn a raw newline in an attribute into a space; a character reference survives.
    .map(([name, value]) => ` ${name}="${escapeXml(String(value)).replace(/[\t\n\r]/g, (char) => `&#${char.charCodeAt(0)};`)}"`)
    .join('');
}
