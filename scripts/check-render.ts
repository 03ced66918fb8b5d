/**
 * Checks the Helm render of every platform stack (`.helm-render/<stack>/<release>.yaml`, written by
 * ../shared/tools/helm-render/render.sh) with our validator, as the cluster would judge it: each
 * release's namespace-less objects in its release namespace (from `<release>.cmd`), each pod at its
 * namespace's Pod Security level (from the stack in cdktf.out), with the stack's
 * renderedChartPolicy (written next to the folder as `<stack>.paas-checks.yaml`, for
 * `npx cdk8s-paas check --config`). Not part of CI: the render needs the fetched charts.
 *
 *   node --import tsx scripts/check-render.ts [.helm-render] [--kubernetes-version 1.35]
 * Exit code 1 when any error finding is left.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { PLATFORMS } from '../apps/platform';
import { renderedChartPolicy } from '../lib/platform/rendered-policy';
import { validate } from '../lib/validation/validate';

const args = process.argv.slice(2);
const vi = args.indexOf('--kubernetes-version');
const versions = vi >= 0 ? args.splice(vi, 2)[1].split(',') : ['1.35'];
const root = args[0] ?? '.helm-render';
let failed = false;
for (const spec of PLATFORMS) {
  const dir = path.join(root, spec.name);
  if (!fs.existsSync(dir)) continue;
  const releases = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.includes('.values') && fs.existsSync(path.join(dir, f.replace(/\.yaml$/, '.cmd'))))
    .sort();
  const files = releases.map((f) => path.join(dir, f));
  const defaultNamespace: Record<string, string> = {};
  for (const f of files) {
    const ns = /--namespace (\S+)/.exec(fs.readFileSync(f.replace(/\.yaml$/, '.cmd'), 'utf8'))?.[1];
    if (ns) defaultNamespace[f] = ns;
  }
  const stackDir = [path.join('cdktf.out', 'stacks', spec.name), path.join(root, 'extra-cdktf', 'stacks', spec.name)].find((d) => fs.existsSync(d));
  const policy = renderedChartPolicy(spec);
  const policyFile = path.join(root, `${spec.name}.paas-checks.yaml`);
  fs.writeFileSync(policyFile, stringify(policy));
  const r = validate(files, { defaultNamespace, kubernetesVersions: versions, config: policy, ...(stackDir ? { cdktfOut: stackDir } : {}) });
  const s = r.summary;
  console.log(
    `${spec.name}: ${releases.length} releases, ${s.objects} objects: ${s.errors} error(s), ${s.warnings} warning(s), ${s.exempted} exempted, ${s.prerequisites.length} created outside`,
  );
  for (const f of r.findings) if (f.severity === 'error' && !f.exemption) console.log(`  ${f.id} ${f.kind} ${f.namespace ?? ''}/${f.name}: ${f.message}`);
  const ns = Object.entries(defaultNamespace).map(([f, n]) => `--default-namespace ${f}=${n}`);
  console.log(
    `  same with the CLI: npx cdk8s-paas check ${files.join(' ')} ${stackDir ?? ''} ${ns.join(' ')} --config ${policyFile} --kubernetes-version ${versions.join(',')}`,
  );
  if (s.errors > 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
