// Width of terminal text. Counts code points after stripping ANSI: enough for the ASCII
// endpoint names and the few symbols (…, █) we print; wide CJK/emoji would count as 1.
import { stripVTControlCharacters } from 'node:util';

export function visibleWidth(text: string): number {
  return [...stripVTControlCharacters(text)].length;
}

/** Cuts plain (uncoloured) text to `width` columns, ending with "…" when something was cut. */
export function truncateEnd(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return `${chars.slice(0, width - 1).join('')}…`;
}
