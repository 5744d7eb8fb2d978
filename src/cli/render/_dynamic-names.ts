// Locust groups statistics by request name, which is the URL unless the script passes
// `name=`. A script requesting /item/1, /item/2 … without it gets one row per URL; this
// finds such families so the summary can say how to group them.
import type { EndpointStats } from '../../domain/types.js';
import { plural } from './format.js';

/** Fewer URLs than this differing by an id are more likely meant (a handful of fixed ids). */
const MIN_FAMILY = 10;
const PLACEHOLDER = '[id]';

export interface NameFamily {
  method: string;
  /** The name to pass: "/item/[id]". */
  groupedName: string;
  /** The names Locust reported, in its order. */
  names: string[];
}

/** Families of at least MIN_FAMILY names that differ only by id-like parts, largest first. */
export function findDynamicNameFamilies(stats: readonly EndpointStats[]): NameFamily[] {
  const families = new Map<string, NameFamily>();
  for (const entry of stats) {
    const groupedName = groupName(entry.name);
    if (groupedName === entry.name) continue;
    const key = `${entry.method} ${groupedName}`;
    const family = families.get(key) ?? { method: entry.method, groupedName, names: [] };
    family.names.push(entry.name);
    families.set(key, family);
  }
  return [...families.values()].filter((family) => family.names.length >= MIN_FAMILY).sort((a, b) => b.names.length - a.names.length);
}

/** The lines that tell the user how to group the largest family; none when there is no family. */
export function dynamicNameHint(stats: readonly EndpointStats[]): string[] {
  const [largest, ...others] = findDynamicNameFamilies(stats);
  if (!largest) return [];
  const examples = largest.names.slice(0, 2).join(', ');
  const more = others.length > 0 ? ` (and ${plural(others.length, 'other family', 'other families')} like it)` : '';
  return [
    `Hint: ${plural(largest.names.length, 'row')} are one ${largest.method} endpoint with different ids (${examples}, …)${more}.`,
    `  Locust groups requests by name; name="${largest.groupedName}" makes them one row:`,
    `  self.client.${largest.method.toLowerCase()}(url, name="${largest.groupedName}")`,
  ];
}

/** "/item/42?page=3" → "/item/[id]?page=[id]": path segments and query values that look like ids. */
function groupName(name: string): string {
  const [path = '', query] = splitOnce(name, '?');
  const groupedPath = path
    .split('/')
    .map((segment) => (looksLikeId(segment) ? PLACEHOLDER : segment))
    .join('/');
  if (query === undefined) return groupedPath;
  const groupedQuery = query
    .split('&')
    .map((pair) => {
      const [key = '', value] = splitOnce(pair, '=');
      return value !== undefined && looksLikeId(value) ? `${key}=${PLACEHOLDER}` : pair;
    })
    .join('&');
  return `${groupedPath}?${groupedQuery}`;
}

function looksLikeId(text: string): boolean {
  return (
    /^\d+$/.test(text) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) ||
    // Hashes and object ids: long hex with at least one digit (so "deadbeefcafe" words stay).
    (/^[0-9a-f]{12,}$/i.test(text) && /\d/.test(text))
  );
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
