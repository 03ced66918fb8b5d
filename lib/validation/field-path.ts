// Field paths as findings name them (dotted, with [n] for list items); shared by both YAML readers.

/** `spec.containers[0].env[1].value` → ['spec', 'containers', 0, 'env', 1, 'value']. */
export function splitFieldPath(fieldPath: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of fieldPath.split('.')) {
    if (part === '') continue;
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].match(/\d+/g) ?? []) out.push(Number(idx));
  }
  return out;
}
