import { fail } from './errors';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const MEMORY_RE = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const CPU_RE = /^(\d+(?:\.\d+)?)(m?)$/;

/** Parses a CPU quantity (`100m`, `0.5`, `2`) into millicores, or undefined when it is not one. */
export function parseCpuMillis(value: string): number | undefined {
  const m = CPU_RE.exec(String(value));
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'm' ? n : n * 1000;
}

/** Parses a memory or storage quantity (`128Mi`, `1Gi`, `500M`, `1024`) into bytes, or undefined. */
export function parseBytes(value: string): number | undefined {
  const m = MEMORY_RE.exec(String(value));
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2];
  if (!unit) return n;
  return n * (BINARY[unit] ?? DECIMAL[unit]);
}

function memoryHint(value: string): string {
  const wrongUnit = /^(\d+(?:\.\d+)?)\s*([KMGTPE])i?B$/i.exec(value);
  if (wrongUnit) return ` (did you mean "${wrongUnit[1]}${wrongUnit[2].toUpperCase()}i"? Kubernetes spells binary units Ki, Mi, Gi without "B")`;
  const lower = /^(\d+(?:\.\d+)?)(ki|mi|gi|ti)$/.exec(value);
  if (lower) return ` (units are case-sensitive: did you mean "${lower[1]}${lower[2][0].toUpperCase()}i"?)`;
  if (/^\d+(?:\.\d+)?m$/.test(value)) return ` ("m" means thousandths of a byte here: did you mean "${value.slice(0, -1)}Mi"?)`;
  return '';
}

function cpuHint(value: string): string {
  if (MEMORY_RE.test(value) || /[KMGT]i?B?$/i.test(value)) {
    return ' (that looks like a memory quantity; CPU is given in cores such as "0.5" or millicores such as "500m")';
  }
  if (/^\d+(?:\.\d+)?\s*(cores?|cpus?)$/i.test(value)) return ` (write just the number of cores, e.g. "${parseFloat(value)}")`;
  return '';
}

/** Checks a CPU quantity and returns it unchanged; errors carry a hint for typical mistakes. */
export function checkCpu(path: string, field: string, value: string): string {
  const millis = parseCpuMillis(value);
  if (millis === undefined || millis <= 0) {
    fail(path, field, value, `must be a positive CPU quantity in cores ("0.5", "2") or millicores ("100m")${cpuHint(String(value))}`);
  }
  if (!Number.isInteger(millis)) {
    fail(path, field, value, 'must not be finer than 1 millicore ("0.0005" is below "1m")');
  }
  return value;
}

/** Checks a memory quantity and returns it unchanged; errors carry a hint for typical mistakes. */
export function checkMemory(path: string, field: string, value: string): string {
  const bytes = parseBytes(value);
  if (bytes === undefined || bytes <= 0) {
    fail(path, field, value, `must be a positive memory quantity such as "128Mi", "1Gi" or "500M"${memoryHint(String(value))}`);
  }
  return value;
}

/** Checks a storage size, same rules as memory. */
export function checkStorage(path: string, field: string, value: string): string {
  const bytes = parseBytes(value);
  if (bytes === undefined || bytes <= 0) {
    fail(path, field, value, `must be a positive storage quantity such as "1Gi" or "500Mi"${memoryHint(String(value))}`);
  }
  return value;
}

/** Formats millicores as Kubernetes would print them. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Formats bytes with the largest binary unit that divides them. */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const size = BINARY[unit];
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** Checks a count or a number of seconds: an integer of at least `min`. */
export function checkInteger(path: string, field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) fail(path, field, value, `must be an integer >= ${min}`);
  return value;
}
