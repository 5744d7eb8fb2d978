// Line diff of two script revisions (longest common subsequence; scripts are small: a few
// thousand lines at most, and the table is bounded below).
export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** Line numbers in the old and the new text (absent on the side the line is not in). */
  oldLine?: number;
  newLine?: number;
}

const MAX_CELLS = 4_000_000;

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > MAX_CELLS) {
    // Too large for the table: every old line removed, every new one added.
    return [...a.map((text, i) => ({ kind: 'removed' as const, text, oldLine: i + 1 })), ...b.map((text, i) => ({ kind: 'added' as const, text, newLine: i + 1 }))];
  }
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      lines.push({ kind: 'removed', text: a[i]!, oldLine: i + 1 });
      i++;
    } else {
      lines.push({ kind: 'added', text: b[j]!, newLine: j + 1 });
      j++;
    }
  }
  for (; i < a.length; i++) lines.push({ kind: 'removed', text: a[i]!, oldLine: i + 1 });
  for (; j < b.length; j++) lines.push({ kind: 'added', text: b[j]!, newLine: j + 1 });
  return lines;
}
