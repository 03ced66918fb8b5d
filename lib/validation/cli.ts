/**
 * `cdk8s-paas check [paths…]`: validates manifests on disk. Exit codes: 0 no error finding, 1 error
 * findings, 2 bad usage or unreadable input (a YAML syntax error names file and line).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValidationInputError } from './input';
import { formatReport, REPORT_FORMATS, ReportFormat } from './report';
import { validateOutput } from './output';
import { validate } from './validate';

export const USAGE = `usage: cdk8s-paas check [paths...] [options]

Validates Kubernetes manifests (YAML or JSON files, or folders of .yaml files).
A cdktf output folder among the paths gives the Pod Security level of its namespaces and the
objects its platform creates. Without paths: dist/ with cdktf.out/ as npm run synth writes them,
each dist/<cluster>/ with cdktf.out/stacks/<cluster> and stacks/<cluster>-*.

options:
  --format text|json|sarif            report format (default text)
  --pod-security baseline|restricted  level for pods whose namespace level is unknown (default restricted)
  --kubernetes-version X.Y            Kubernetes minor to check against; repeat or comma-separate (default 1.28,1.35)
  --config FILE                       policy file (default ./paas-checks.yaml when it exists)
  --crds FILE                         extra CustomResourceDefinitions; repeatable
  --crd-set NAME@VERSION              a shipped CRD set replacing the default of its name (e.g. gateway-api@v1.6.1); repeatable
  --output FILE                       write the report to FILE instead of stdout
  --default-namespace [PATH=]NS       namespace for namespaced objects that name none (helm template
                                      output): for every input, or for those read from PATH; repeatable

exit codes: 0 no error finding, 1 error findings, 2 bad usage or unreadable input
`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const VALUE_OPTIONS = ['--format', '--pod-security', '--kubernetes-version', '--config', '--crds', '--crd-set', '--output', '--default-namespace'];

class UsageError extends Error {}

interface Parsed {
  paths: string[];
  format: ReportFormat;
  podSecurity?: 'baseline' | 'restricted';
  versions: string[];
  config?: string;
  crds: string[];
  crdSets: string[];
  output?: string;
  defaultNamespace?: string | Record<string, string>;
}

function parse(args: readonly string[]): Parsed {
  const p: Parsed = { paths: [], format: 'text', versions: [], crds: [], crdSets: [] };
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (!arg.startsWith('--')) {
      p.paths.push(arg);
      continue;
    }
    if (!VALUE_OPTIONS.includes(arg)) throw new UsageError(`unknown option ${arg}`);
    if (value === undefined) {
      value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    }
    if (arg === '--format') {
      if (!(REPORT_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format ${value} is invalid: expected ${REPORT_FORMATS.join(', ')}`);
      p.format = value as ReportFormat;
    } else if (arg === '--pod-security') {
      if (value !== 'baseline' && value !== 'restricted') throw new UsageError(`--pod-security ${value} is invalid: expected baseline or restricted`);
      p.podSecurity = value;
    } else if (arg === '--kubernetes-version') {
      for (const v of value.split(',').map((s) => s.trim())) {
        if (!/^1\.\d+$/.test(v)) throw new UsageError(`--kubernetes-version ${v} is invalid: expected a minor such as 1.35`);
        p.versions.push(v);
      }
    } else if (arg === '--config') p.config = value;
    else if (arg === '--crds') p.crds.push(value);
    else if (arg === '--crd-set') p.crdSets.push(value);
    else if (arg === '--default-namespace') {
      const at = value.lastIndexOf('=');
      if (at < 0) {
        if (p.defaultNamespace !== undefined)
          throw new UsageError('--default-namespace NS is given twice or with PATH=NS: give one namespace, or PATH=NS for each input');
        p.defaultNamespace = value;
      } else {
        if (typeof p.defaultNamespace === 'string')
          throw new UsageError('--default-namespace NS is given twice or with PATH=NS: give one namespace, or PATH=NS for each input');
        p.defaultNamespace = { ...(p.defaultNamespace ?? {}), [value.slice(0, at)]: value.slice(at + 1) };
      }
    } else p.output = value;
  }
  return p;
}

/** Runs the CLI; returns the exit code. */
export function main(argv: readonly string[], io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command !== 'check') {
    io.stderr(`cdk8s-paas: ${command === undefined ? 'missing command' : `unknown command "${command}"`}\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  let parsed: Parsed;
  try {
    parsed = parse(rest);
  } catch (e) {
    io.stderr(`cdk8s-paas check: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = parsed.config ?? (fs.existsSync('paas-checks.yaml') ? 'paas-checks.yaml' : undefined);
  try {
    const options = {
      podSecurity: parsed.podSecurity,
      kubernetesVersions: parsed.versions.length > 0 ? parsed.versions : undefined,
      config,
      crds: parsed.crds,
      crdSets: parsed.crdSets.length > 0 ? parsed.crdSets : undefined,
      ...(parsed.defaultNamespace !== undefined ? { defaultNamespace: parsed.defaultNamespace } : {}),
    };
    if (parsed.paths.length === 0 && !fs.existsSync('dist')) throw new ValidationInputError('dist/: no such file or folder', 'dist/');
    const result = parsed.paths.length > 0 ? validate(parsed.paths, options) : validateOutput('dist', 'cdktf.out', options);
    const report = formatReport(result, parsed.format);
    if (parsed.output) {
      fs.mkdirSync(path.dirname(path.resolve(parsed.output)), { recursive: true });
      fs.writeFileSync(parsed.output, report);
      const s = result.summary;
      io.stderr(`cdk8s-paas check: ${s.errors} error(s), ${s.warnings} warning(s), ${s.exempted} exempted; report written to ${parsed.output}\n`);
    } else {
      io.stdout(report);
    }
    return result.summary.errors > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof ValidationInputError) {
      io.stderr(`cdk8s-paas check: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
