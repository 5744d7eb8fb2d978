// en-US numbers without Intl. Creating the first Intl.NumberFormat loads ICU's number data,
// 13–18 ms of a command's start (issue 14: `runs list` ≤ 0.25 s), and loadctl only ever needs
// grouping, fixed or bounded decimals and a sign. Answers exactly as Intl.NumberFormat('en-US')
// does (test/domain/number-format.test.ts compares them): half away from zero on the number's
// shortest decimal form, "-0" for a negative that rounds to zero, "∞" for an infinity.

export interface NumberFormatOptions {
  minimumFractionDigits?: number;
  maximumFractionDigits: number;
  /** "exceptZero": "+" before a positive number, no sign on zero. */
  signDisplay?: 'auto' | 'exceptZero';
}

export function formatNumber(value: number, { minimumFractionDigits = 0, maximumFractionDigits, signDisplay = 'auto' }: NumberFormatOptions): string {
  if (Number.isNaN(value)) return 'NaN';
  const negative = value < 0 || Object.is(value, -0);
  if (!Number.isFinite(value)) return negative ? '-∞' : signDisplay === 'exceptZero' ? '+∞' : '∞';
  const [whole, fraction] = roundedDigits(Math.abs(value), maximumFractionDigits);
  const shown = fraction.replace(/0+$/, '').padEnd(minimumFractionDigits, '0');
  const body = `${groupThousands(whole)}${shown ? `.${shown}` : ''}`;
  const isZero = /^0*$/.test(`${whole}${fraction}`);
  if (signDisplay === 'exceptZero') return isZero ? body : `${negative ? '-' : '+'}${body}`;
  return negative ? `-${body}` : body;
}

/** The whole and fraction digits of `magnitude` rounded half up to `decimals` places. */
function roundedDigits(magnitude: number, decimals: number): [string, string] {
  const [whole, fraction] = plainDecimal(magnitude);
  if (fraction.length <= decimals) return [whole, fraction];
  const kept = `${whole}${fraction.slice(0, decimals)}`;
  const roundsUp = fraction.charCodeAt(decimals) >= '5'.charCodeAt(0);
  const digits = roundsUp ? incremented(kept) : kept;
  const wholeLength = digits.length - decimals;
  return [digits.slice(0, wholeLength) || '0', digits.slice(wholeLength)];
}

/** The shortest decimal form of a finite, non-negative number, without an exponent. */
function plainDecimal(magnitude: number): [string, string] {
  const [mantissa = '0', exponentText] = String(magnitude).split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const exponent = Number(exponentText ?? 0);
  if (exponent === 0) return [whole, fraction];
  const digits = `${whole}${fraction}`;
  const point = whole.length + exponent;
  if (point <= 0) return ['0', `${'0'.repeat(-point)}${digits}`];
  if (point >= digits.length) return [`${digits}${'0'.repeat(point - digits.length)}`, ''];
  return [digits.slice(0, point), digits.slice(point)];
}

/** A string of decimal digits plus one ("0999" → "1000", "99" → "100"). */
function incremented(digits: string): string {
  const out = digits.split('');
  for (let index = out.length - 1; index >= 0; index -= 1) {
    if (out[index] !== '9') {
      out[index] = String(Number(out[index]) + 1);
      return out.join('');
    }
    out[index] = '0';
  }
  return `1${out.join('')}`;
}

function groupThousands(whole: string): string {
  const trimmed = whole.replace(/^0+(?=\d)/, '');
  return trimmed.replace(/\B(?=(\d{3})+$)/g, ',');
}
