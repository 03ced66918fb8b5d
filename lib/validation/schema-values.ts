import { isIPv4, isIPv6 } from 'net';

// The value-level facts the schema evaluator needs: JSON types as JSON Schema names them, the
// string formats Kubernetes schemas use, and JSON equality.

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\d+))?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Format checks: true when the value is acceptable. Unknown formats pass (as in kube-openapi). */
export const FORMATS: Record<string, (v: unknown) => boolean> = {
  int32: (v) => typeof v !== 'number' || (Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX),
  int64: (v) => typeof v !== 'number' || Number.isInteger(v),
  byte: (v) => typeof v !== 'string' || BASE64.test(v),
  'date-time': (v) => typeof v !== 'string' || DATE_TIME.test(v),
  ipv4: (v) => typeof v !== 'string' || isIPv4(v),
  ipv6: (v) => typeof v !== 'string' || isIPv6(v),
  quantity: (v) => typeof v !== 'string' || QUANTITY.test(v),
};

export const FORMAT_HINTS: Record<string, string> = {
  int32: 'an integer from -2147483648 to 2147483647',
  int64: 'an integer',
  byte: 'base64-encoded data',
  'date-time': 'an RFC 3339 timestamp such as 2024-01-31T12:00:00Z',
  quantity: 'a Kubernetes quantity such as 500m, 128Mi or 2',
};

export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return true;
  }
}

/** Deep equality of JSON values (for const, enum, uniqueItems). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** Reads a dotted path (`.metadata.name`) from template data. */
export function lookupPath(data: unknown, dotted: string): unknown {
  let cur: unknown = data;
  for (const part of dotted.split('.')) {
    if (part === '') continue;
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
