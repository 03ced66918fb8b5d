import Ajv2020 from 'ajv/dist/2020';
import { deepMerge, HelmAddon, isPlainObject, leafPaths, PlatformStack } from '../../../lib/platform';
import { readUpstreamJson, readUpstreamText, readUpstreamYaml } from '../../support/upstream';
import { ALTERNATIVE, EXISTING_SECRETS, platformStack, SEEDS } from '../fixtures';

/**
 * Contract: every values key we set exists, uncommented, in the pinned chart's values.yaml.
 * Parsing drops comments, so a key only present as a commented example is "missing". Allowed:
 * keys below a map whose default is empty (`{}` or unset), keys in subchart sections (the parent
 * documents only part of them), and the commented examples listed below with their reason.
 */
const COMMENTED_EXAMPLES: Record<string, { readonly section: string; readonly freeForm: readonly string[]; readonly reason: string }> = {
  'csi-driver-nfs': {
    section: 'storageClass',
    // the template copies these maps verbatim (toYaml): what goes below them is the driver's input
    freeForm: ['parameters', 'annotations'],
    reason: 'the chart documents its StorageClass only as a commented example; its template reads these keys',
  },
};

/**
 * Maps whose default is not empty but whose keys are free-form all the same: annotation maps the
 * template copies verbatim (toYaml), so a key we add is an annotation, not a chart setting.
 */
const FREE_FORM_MAPS: Record<string, readonly string[]> = {
  harbor: ['expose.ingress.annotations'],
};

function missingKeys(addon: HelmAddon): string[] {
  const chart = addon.pin.chart;
  const upstream = readUpstreamYaml<Record<string, unknown>>(`charts/${chart}/values.yaml`);
  const text = readUpstreamText(`charts/${chart}/values.yaml`);
  const paths = [...leafPaths(addon.values), ...addon.writeOnlyPaths.map((p) => p.split('.'))];
  const missing: string[] = [];
  for (const p of paths) {
    if ((addon.pin.subchartSections ?? []).includes(p[0])) continue;
    if ((FREE_FORM_MAPS[chart] ?? []).some((m) => p.slice(0, -1).join('.') === m)) continue;
    let node: unknown = upstream;
    for (let i = 0; i < p.length; i++) {
      if (!isPlainObject(node)) {
        missing.push(p.join('.'));
        break;
      }
      if (!(p[i] in node)) {
        const example = COMMENTED_EXAMPLES[chart];
        if (example && p[0] === example.section) {
          const rest = p.slice(i);
          const checked = example.freeForm.includes(rest[0]) ? rest.slice(0, 1) : rest;
          if (commentedInSection(text, example.section, checked)) break;
        }
        missing.push(p.join('.'));
        break;
      }
      const next = node[p[i]];
      // a default of {} or nothing is a free-form map: what goes below it is the chart's input
      if (i < p.length - 1 && (next === null || (isPlainObject(next) && Object.keys(next).length === 0))) break;
      node = next;
    }
  }
  return missing;
}

/** Every key of `rest` appears as a commented `key:` inside the top-level `section` of the file. */
function commentedInSection(text: string, section: string, rest: readonly string[]): boolean {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${section}:`));
  if (start < 0) return false;
  let end = lines.findIndex((l, i) => i > start && /^[A-Za-z]/.test(l));
  if (end < 0) end = lines.length;
  const block = lines.slice(start, end).join('\n');
  return rest.every((k) => new RegExp(`^\\s*#\\s*${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`, 'm').test(block));
}

const stacks: Array<[string, () => PlatformStack]> = [
  ['seeds (nfs-subdir, ingress-nginx, TLS, variables)', () => platformStack(SEEDS)],
  ['alternative (csi-driver-nfs, Traefik + Gateway, no TLS, 2 Harbor replicas, existing Secrets)', () => platformStack(ALTERNATIVE, EXISTING_SECRETS)],
  ['nfs-subdir with onDelete delete, no Grafana host', () => platformStack({ ...SEEDS, nfs: { ...SEEDS.nfs!, onDelete: 'delete' }, monitoring: {} })],
  ['nfs-subdir with onDelete retain', () => platformStack({ ...SEEDS, nfs: { ...SEEDS.nfs!, onDelete: 'retain', mountOptions: [] } })],
];

describe.each(stacks)('values keys exist in the pinned values.yaml: %s', (_name, make) => {
  const stack = make();
  test.each(stack.addons.map((a) => [a.pin.chart, a] as const))('%s', (_chart, addon) => {
    expect(missingKeys(addon)).toEqual([]);
  });
});

describe('contract checker', () => {
  test('fails if a key is only a commented example or absent', () => {
    const stack = platformStack(SEEDS, { overrides: { kubePrometheusStack: { grafana: { x: 1 }, prometheus: { prometheusSpec: { noSuchKey: true } } } } });
    expect(missingKeys(stack.monitoring)).toEqual(['prometheus.prometheusSpec.noSuchKey']);
  });
});

describe('Traefik values validate against the chart values.schema.json (draft 2020-12)', () => {
  const schema = readUpstreamJson<Record<string, unknown>>('charts/traefik/values.schema.json');
  const defaults = readUpstreamYaml<Record<string, unknown>>('charts/traefik/values.yaml');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);

  test.each([
    ['with Gateway API', ALTERNATIVE],
    ['without Gateway API', { ...ALTERNATIVE, ingress: { controller: 'traefik' as const } }],
    [
      'with Gateway API and the HTTPS listener',
      {
        ...ALTERNATIVE,
        certificates: { issuer: 'acme' as const, acme: { email: 'ops@example.com' } },
        ingress: { ...ALTERNATIVE.ingress, gatewayApi: { gatewayNamespace: 'gateways', https: { hosts: ['shop.example.com'] } } },
      },
    ],
  ])('%s', (_name, input) => {
    const stack = platformStack(input, EXISTING_SECRETS);
    const merged = deepMerge(defaults, stack.ingressController!.values);
    const ok = validate(merged);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  test('the schema rejects a key it does not know (the check has teeth)', () => {
    const stack = platformStack(ALTERNATIVE, EXISTING_SECRETS, 'teeth');
    const merged = deepMerge(defaults, deepMerge(stack.ingressController!.values, { ingressClass: { nmae: 'typo' } }));
    expect(validate(merged)).toBe(false);
  });
});
