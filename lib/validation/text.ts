/** The readable report: findings grouped by file, then by object, then the prerequisites and a summary line. */
import { Finding, ValidationResult } from './validate';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function objectLabel(f: Finding): string {
  if (!f.kind) return f.constructPath ? `construct ${f.constructPath}` : '(input)';
  const id = `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '?'}`;
  return f.constructPath ? `${id} (${f.constructPath})` : id;
}

/** Renders the text report; ends with a newline. */
export function toText(result: ValidationResult): string {
  const out: string[] = [];
  const byFile = new Map<string, Map<string, Finding[]>>();
  for (const f of result.findings) {
    const file = f.file ?? (f.id === 'construct/warning' ? '(construct warnings)' : '(objects not read from a file)');
    const objects = byFile.get(file) ?? new Map<string, Finding[]>();
    const label = objectLabel(f);
    objects.set(label, [...(objects.get(label) ?? []), f]);
    byFile.set(file, objects);
  }
  for (const [file, objects] of byFile) {
    out.push(file);
    for (const [label, findings] of objects) {
      out.push(`  ${label}`);
      for (const f of findings) {
        const where = f.line !== null ? `${f.line}:`.padEnd(6) : '';
        const level = f.exemption ? 'exempt' : f.severity;
        out.push(`    ${where}${level.padEnd(8)}${f.id}${f.path ? `  ${f.path}` : ''}`);
        out.push(`        ${f.message}`);
        if (f.exemption) out.push(`        exempted (${f.exemption.source}): ${f.exemption.reason}`);
      }
    }
    out.push('');
  }
  const pre = result.summary.prerequisites;
  if (pre.length > 0) {
    out.push('Prerequisites (declared created outside this input):');
    for (const p of pre) {
      out.push(`  ${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}: ${p.reason} (${p.source}; referenced by ${p.referencedBy.join(', ')})`);
    }
    out.push('');
  }
  const s = result.summary;
  out.push(
    `${plural(s.objects, 'object')} checked: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.exempted} exempted, ${plural(pre.length, 'prerequisite')}`,
  );
  return out.join('\n') + '\n';
}
