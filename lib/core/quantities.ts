import { describeValue, fail } from './errors';

/**
 * The Kubernetes quantity grammar, as `resource.ParseQuantity` (k8s.io/apimachinery
 * pkg/api/resource) reads it:
 *
 *   <quantity> ::= <sign>? <number> <suffix>
 *   <number>   ::= <digits> | <digits>.<digits>? | .<digits>
 *   <suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei | n | u | m | "" | k | M | G | T | P | E | (e|E) <sign>? <digits>
 *
 * So `.5`, `1.`, `+1`, `1e3`, `1E3` and `500n` are quantities; `1 Gi`, `1GB`, `1e`, `0x10` are not.
 */
const QUANTITY_RE = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Beyond this decimal exponent a value is treated as infinite (no amount we compare is near it). */
const MAX_EXP = 400;

/** A parsed quantity, exactly: (-1)^negative × mantissa × 10^exp10 × 2^pow2. */
export interface ParsedQuantity {
  readonly negative: boolean;
  readonly mantissa: bigint;
  readonly exp10: number;
  readonly pow2: number;
  /** The suffix as written (`Mi`, `m`, `e3`, or `` for none). */
  readonly suffix: string;
}

/**
 * Parses a quantity string, or a JS number as its decimal text (`0.25` is "0.25"), by the grammar
 * above; undefined when it is not one. Nothing else (objects, NaN, Infinity) is a quantity.
 */
export function parseQuantity(value: unknown): ParsedQuantity | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'string') text = value;
  else return undefined;
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction, onlyFraction, unit, exponent] = m;
  const frac = onlyFraction ?? fraction ?? '';
  const digits = `${whole ?? ''}${frac}` || '0';
  let exp10 = -frac.length;
  let pow2 = 0;
  if (exponent !== undefined) exp10 += Number(exponent);
  else if (unit !== undefined && unit in BINARY) pow2 = BINARY[unit];
  else exp10 += DECIMAL[unit ?? ''];
  const suffix = exponent !== undefined ? text.slice(text.search(/[eE]/)) : (unit ?? '');
  return { negative: sign === '-', mantissa: BigInt(digits), exp10, pow2, suffix };
}

/** The quantity times 10^scale as a JS number (Infinity when far too large). */
function toNumber(q: ParsedQuantity, scale: number): number {
  if (q.mantissa === 0n) return 0;
  const e = q.exp10 + scale;
  const sign = q.negative ? -1 : 1;
  if (e > MAX_EXP) return sign * Infinity;
  if (e >= 0) return sign * Number(q.mantissa * 10n ** BigInt(e) * 2n ** BigInt(q.pow2));
  if (-e > MAX_EXP) return 0;
  return (sign * Number(q.mantissa * 2n ** BigInt(q.pow2))) / 10 ** -e;
}

/** Whether the quantity times 10^scale is a whole number (exactly, not in floating point). */
function isWhole(q: ParsedQuantity, scale: number): boolean {
  const e = q.exp10 + scale;
  if (e >= 0 || q.mantissa === 0n) return true;
  if (-e > MAX_EXP) return false;
  return (q.mantissa * 2n ** BigInt(q.pow2)) % 10n ** BigInt(-e) === 0n;
}

/** Parses a CPU quantity (`100m`, `0.5`, `2`, `1e3m`) into millicores, or undefined when it is not one. */
export function parseCpuMillis(value: unknown): number | undefined {
  const q = parseQuantity(value);
  return q && toNumber(q, 3);
}

/** Parses a memory or storage quantity (`128Mi`, `1Gi`, `500M`, `1024`, `1e9`) into bytes, or undefined. */
export function parseBytes(value: unknown): number | undefined {
  const q = parseQuantity(value);
  return q && toNumber(q, 0);
}

function memoryHint(value: string): string {
  const wrongUnit = /^(\d+(?:\.\d+)?)\s*([KMGTPE])i?B$/i.exec(value);
  if (wrongUnit) return ` (did you mean "${wrongUnit[1]}${wrongUnit[2].toUpperCase()}i"? Kubernetes spells binary units Ki, Mi, Gi without "B")`;
  const lower = /^(\d+(?:\.\d+)?)(ki|mi|gi|ti)$/.exec(value);
  if (lower) return ` (units are case-sensitive: did you mean "${lower[1]}${lower[2][0].toUpperCase()}i"?)`;
  if (/^\d+(?:\.\d+)?m$/.test(value)) return ` ("m" means thousandths of a byte here: did you mean "${value.slice(0, -1)}Mi"?)`;
  if (/^-/.test(value)) return ' (the API server refuses negative amounts)';
  return '';
}

function cpuHint(value: string): string {
  if (/^[+-]?[\d.]+(Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)$/.test(value) || /[KMGT]i?B?$/i.test(value)) {
    return ' (that looks like a memory quantity; CPU is given in cores such as "0.5" or millicores such as "500m")';
  }
  if (/^\d+(?:\.\d+)?\s*(cores?|cpus?)$/i.test(value)) return ` (write just the number of cores, e.g. "${parseFloat(value)}")`;
  if (/^-/.test(value)) return ' (the API server refuses negative amounts)';
  return '';
}

/**
 * Checks a CPU quantity and returns it as written (a JS number as its decimal text, `0.25` →
 * "0.25"). Zero and negative amounts are refused (the API server refuses negative ones; zero CPU
 * is never what a container means). Memory-sized suffixes (`Mi`, `M`, `G`...) are refused although
 * the grammar allows them: a CPU amount of "1.5Gi" is a memory value in the wrong field.
 */
export function checkCpu(path: string, field: string, value: string | number): string {
  const text = String(value); // a user's string as written, a JS number as its decimal text
  const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  const memoryLike = q !== undefined && (q.pow2 > 0 || ['M', 'G', 'T', 'P', 'E'].includes(q.suffix));
  const millis = q && !memoryLike ? toNumber(q, 3) : undefined;
  if (millis === undefined || !(millis > 0)) {
    const hint = typeof value === 'string' || typeof value === 'number' ? cpuHint(text) : ` (got ${describeValue(value)}, a ${typeof value})`;
    fail(path, field, value, `must be a positive CPU quantity in cores ("0.5", "2") or millicores ("100m")${hint}`);
  }
  if (!isWhole(q!, 3)) fail(path, field, value, 'must not be finer than 1 millicore ("0.0005" is below "1m")');
  return text;
}

function checkBytes(path: string, field: string, value: string | number, what: string, examples: string): string {
  const text = String(value); // a user's string as written, a JS number as its decimal text
  const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  const bytes = q ? toNumber(q, 0) : undefined;
  // A fraction of a byte parses ("128m" is 0.128 bytes) but is never meant: refused with the hint.
  if (bytes === undefined || !(bytes > 0) || !isWhole(q!, 0)) {
    const hint = typeof value === 'string' || typeof value === 'number' ? memoryHint(text) : ` (got ${describeValue(value)}, a ${typeof value})`;
    fail(path, field, value, `must be a positive ${what} quantity such as ${examples}${hint}`);
  }
  return text;
}

/** Checks a memory quantity and returns it as written; errors carry a hint for typical mistakes. */
export function checkMemory(path: string, field: string, value: string | number): string {
  return checkBytes(path, field, value, 'memory', '"128Mi", "1Gi" or "500M"');
}

/** Checks a storage size, same rules as memory. */
export function checkStorage(path: string, field: string, value: string | number): string {
  return checkBytes(path, field, value, 'storage', '"1Gi" or "500Mi"');
}

/** Formats millicores as Kubernetes would print them. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Formats bytes with the largest binary unit that divides them. */
export function formatBytes(bytes: number): string {
  for (const [unit, bits] of Object.entries(BINARY).reverse()) {
    const size = 2 ** bits;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** Checks a count or a number of seconds: an integer of at least `min`. */
export function checkInteger(path: string, field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) fail(path, field, value, `must be an integer >= ${min}`);
  return value;
}
