// Builds a one-line header from segments that fits a width: optional segments drop first,
// then the shrinkable one is shortened, and as a last resort the line is cut. Colour is
// applied after fitting so widths are measured on plain text.
import { truncateEnd, visibleWidth } from './_text.js';

export interface Segment {
  text: string;
  paint?: (text: string) => string;
  /** Lower drops first when the line is too wide; undefined never drops. */
  dropRank?: number;
  /** This one gets shortened (with …) before the line is cut. */
  shrinkable?: boolean;
}

const SEPARATOR = ' · ';
const SHRINK_MIN = 8;

export function fitSegments(segments: Segment[], width: number): string {
  let kept = [...segments];
  const lineWidth = (list: Segment[]) =>
    list.reduce((sum, segment) => sum + visibleWidth(segment.text), 0) + SEPARATOR.length * Math.max(0, list.length - 1);

  const droppable = kept.filter((segment) => segment.dropRank !== undefined).sort((a, b) => a.dropRank! - b.dropRank!);
  while (lineWidth(kept) > width && droppable.length > 0) {
    const dropped = droppable.shift();
    kept = kept.filter((segment) => segment !== dropped);
  }

  const overflow = lineWidth(kept) - width;
  if (overflow > 0) {
    kept = kept.map((segment) => {
      if (!segment.shrinkable) return segment;
      const target = Math.max(SHRINK_MIN, visibleWidth(segment.text) - overflow);
      return { ...segment, text: truncateEnd(segment.text, target) };
    });
  }

  let room = width;
  const painted: string[] = [];
  for (const [index, segment] of kept.entries()) {
    const separator = index === 0 ? '' : SEPARATOR;
    if (room <= separator.length) break;
    room -= separator.length;
    const text = truncateEnd(segment.text, room);
    room -= visibleWidth(text);
    painted.push(separator + (segment.paint ? segment.paint(text) : text));
  }
  return painted.join('');
}
