/**
 * Turns a Go (RE2) regular expression into one JavaScript accepts in a JSON Schema `pattern`.
 * RE2 allows inline flags such as `(?i)` (also in the middle: `^(?i)ALL$`); JSON Schema patterns
 * have no flags, so the case-insensitive part is spelled with character classes (`a` -> `[aA]`).
 * Only the `i` flag is supported; any other inline flag throws so that a check is never
 * evaluated with a silently different meaning.
 */
export function goRegexToJs(pattern: string): string {
  let out = '';
  let ci = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      // Copy escapes verbatim; \xHH and \uHHHH carry hex digits that must not be case-folded.
      let len = 2;
      if (pattern[i + 1] === 'x') len = pattern[i + 2] === '{' ? pattern.indexOf('}', i) - i + 1 : 4;
      else if (pattern[i + 1] === 'u') len = 6;
      out += pattern.slice(i, i + len);
      i += len - 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (ci && /[a-zA-Z]/.test(c) && pattern[i + 1] === '-' && /[a-zA-Z]/.test(pattern[i + 2] ?? '')) {
        // A letter range: both cases of the range (a-c -> a-cA-C).
        const hi = pattern[i + 2];
        out += `${c.toLowerCase()}-${hi.toLowerCase()}${c.toUpperCase()}-${hi.toUpperCase()}`;
        i += 2;
        continue;
      } else if (ci && /[a-zA-Z]/.test(c)) {
        const other = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
        out += c + other;
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const m = /^\(\?([a-zA-Z]+)\)/.exec(pattern.slice(i));
      if (m) {
        if (m[1] !== 'i') throw new Error(`unsupported inline regex flag (?${m[1]}) in ${pattern}`);
        ci = true;
        i += m[0].length - 1;
        continue;
      }
    }
    if (ci && /[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      continue;
    }
    out += c;
  }
  return out;
}

/** Deep-copies a JSON Schema, rewriting every `pattern` with {@link goRegexToJs}. */
export function convertPatterns<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s) => convertPatterns(s)) as unknown as T;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    out[k] = k === 'pattern' && typeof v === 'string' ? goRegexToJs(v) : convertPatterns(v);
  }
  return out as T;
}
