/**
 * The `wiring/…` family: objects that point at each other inside the input. The API server accepts
 * every one of these; they surface later as a Service without endpoints, an HPA reporting
 * "unknown", an Ingress answering 503 or a ServiceMonitor that scrapes nothing.
 */
import { CheckContext, CheckFamily, InputObject, Manifest, RawFinding } from './types';

/** A metav1.LabelSelector. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: string[] }[];
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** The pod template (`{ metadata, spec }`) of a workload, or undefined. Never throws on odd shapes. */
export function podTemplateOf(m: Manifest): { template: Manifest; path: string } | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const obj = (x: unknown): x is Manifest => !!x && typeof x === 'object' && !Array.isArray(x);
  if (m.kind === 'Pod') return obj(m.spec) ? { template: { metadata: m.metadata, spec: m.spec }, path: '' } : undefined;
  if (m.kind === 'CronJob') {
    const t = m.spec?.jobTemplate?.spec?.template;
    return obj(t) ? { template: t, path: 'spec.jobTemplate.spec.template.' } : undefined;
  }
  if (TEMPLATE_KINDS.has(m.kind)) return obj(m.spec?.template) ? { template: m.spec.template, path: 'spec.template.' } : undefined;
  return undefined;
}

/** The pod spec of a workload, or undefined. */
export function podSpecOf(m: Manifest): Manifest | undefined {
  const s = podTemplateOf(m)?.template.spec;
  return s && typeof s === 'object' && !Array.isArray(s) ? s : undefined;
}

function asRecord(x: unknown): Record<string, unknown> {
  return x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}
function asList(x: unknown): Manifest[] {
  return Array.isArray(x) ? x.filter((e) => e && typeof e === 'object') : [];
}

/** Whether a LabelSelector selects `labels`. An empty selector selects everything, a missing one nothing. */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: unknown): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const l = asRecord(labels);
  for (const [k, v] of Object.entries(asRecord(selector.matchLabels))) if (l[k] !== v) return false;
  for (const e of asList(selector.matchExpressions)) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values: unknown[] = Array.isArray(e.values) ? e.values : [];
    if (e.operator === 'In' && !(has && values.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return false;
  }
  return true;
}

/** A Service's plain-map selector: every pair must match; an empty one selects nothing. */
function mapSelects(selector: unknown, labels: unknown): boolean {
  const s = asRecord(selector);
  const l = asRecord(labels);
  return Object.keys(s).length > 0 && Object.entries(s).every(([k, v]) => l[k] === v);
}

interface Pods {
  readonly index: number;
  readonly ref: string;
  readonly namespace: string;
  readonly labels: Record<string, unknown>;
  readonly portNames: Set<string>;
  readonly portNumbers: Set<number>;
}

/**
 * Items by label pair, so a selector is matched against the items sharing one of its pairs rather
 * than against every item: a thousand apps in one namespace would otherwise cost a million matches.
 */
class LabelIndex<T> {
  private readonly all: T[] = [];
  private readonly byPair = new Map<string, T[]>();

  public add(labels: Record<string, unknown>, item: T): void {
    this.all.push(item);
    for (const [k, v] of Object.entries(labels)) {
      const key = `${k}=${String(v)}`;
      const list = this.byPair.get(key);
      if (list) list.push(item);
      else this.byPair.set(key, [item]);
    }
  }

  /** Items that may match a selector with these matchLabels (all items when it has none). */
  public candidates(matchLabels: unknown): readonly T[] {
    let best: readonly T[] = this.all;
    for (const [k, v] of Object.entries(asRecord(matchLabels))) {
      const list = this.byPair.get(`${k}=${String(v)}`) ?? [];
      if (list.length < best.length) best = list;
    }
    return best;
  }
}

const ns = (m: Manifest): string => (typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : '');
const refOf = (m: Manifest): string => `${m.kind} ${ns(m) ? `${ns(m)}/` : ''}${m.metadata?.name}`;

function podsOf(objects: readonly InputObject[]): Pods[] {
  const out: Pods[] = [];
  objects.forEach(({ manifest: m }, index) => {
    const t = podTemplateOf(m);
    if (!t) return;
    const ports = asList(t.template.spec?.containers).flatMap((c) => asList(c.ports));
    out.push({
      index,
      ref: refOf(m),
      namespace: ns(m),
      labels: asRecord(t.template.metadata?.labels),
      portNames: new Set(ports.map((p) => p.name).filter((n): n is string => typeof n === 'string')),
      portNumbers: new Set(ports.map((p) => p.containerPort).filter((n): n is number => typeof n === 'number')),
    });
  });
  return out;
}

/** Runs the wiring checks over the whole input. */
export const wiringFamily: CheckFamily = function wiring(ctx: CheckContext): RawFinding[] {
  const findings: RawFinding[] = [];
  const objects = ctx.objects;
  const pods = podsOf(objects);
  const podsByNs = new Map<string, LabelIndex<Pods>>();
  const allPods = new LabelIndex<Pods>();
  for (const p of pods) {
    const idx = podsByNs.get(p.namespace) ?? new LabelIndex<Pods>();
    idx.add(p.labels, p);
    podsByNs.set(p.namespace, idx);
    allPods.add(p.labels, p);
  }
  const noPods = new LabelIndex<Pods>();
  const byKey = new Map<string, Manifest>();
  for (const { manifest: m } of objects) byKey.set(`${m.kind}/${ns(m)}/${m.metadata?.name}`, m);
  const services = objects.map((o, i) => ({ m: o.manifest, i })).filter(({ m }) => m.kind === 'Service' && m.apiVersion === 'v1');
  const serviceByName = new Map(services.map((x) => [`${ns(x.m)}/${x.m.metadata?.name}`, x]));
  const servicesByLabel = new LabelIndex<(typeof services)[number]>();
  for (const x of services) servicesByLabel.add(asRecord(x.m.metadata?.labels), x);
  const add = (
    objectIndex: number,
    id: string,
    path: string,
    message: string,
    severity: 'error' | 'warning' = 'error',
    target?: RawFinding['target'],
  ): void => {
    findings.push({ id, severity, objectIndex, path, message, ...(target ? { target } : {}) });
  };

  objects.forEach(({ manifest: m }, i) => {
    const spec = asRecord(m.spec);
    const here = ns(m);
    const podsHere = podsByNs.get(here) ?? noPods;
    const t = podTemplateOf(m);
    // A Job's selector is generated by the API server (controller-uid) unless manualSelector is set.
    if (t && m.kind !== 'Pod' && m.kind !== 'CronJob' && (m.kind !== 'Job' || spec.manualSelector === true)) {
      if (!selectorMatches(spec.selector as LabelSelector, t.template.metadata?.labels)) {
        add(
          i,
          'wiring/selector-mismatch',
          'spec.selector',
          `spec.selector does not match the pod template labels of ${refOf(m)}: the API server rejects it; make spec.template.metadata.labels carry every selector label`,
        );
      }
    } else if (m.kind === 'Service' && m.apiVersion === 'v1' && spec.type !== 'ExternalName' && Object.keys(asRecord(spec.selector)).length > 0) {
      const selected = podsHere.candidates(spec.selector).filter((p) => mapSelects(spec.selector, p.labels));
      if (selected.length === 0) {
        add(
          i,
          'wiring/service-selects-nothing',
          'spec.selector',
          `selects no pods of a workload in namespace "${here}": the Service gets no endpoints; make the selector match a pod template's labels`,
        );
        return;
      }
      asList(spec.ports).forEach((port, n) => {
        const target = port.targetPort ?? port.port;
        const missing = typeof target === 'string' ? selected.filter((p) => !p.portNames.has(target)) : [];
        if (missing.length > 0) {
          const known = [...new Set(selected.flatMap((p) => [...p.portNames]))].sort();
          add(
            i,
            'wiring/service-target-port',
            `spec.ports[${n}].targetPort`,
            `targetPort "${target}" is not a container port name of ${missing.map((p) => p.ref).join(', ')} (named ports: ${known.join(', ') || 'none'})`,
          );
        }
      });
    } else if (m.kind === 'HorizontalPodAutoscaler') {
      const ref = asRecord(spec.scaleTargetRef);
      if (!byKey.has(`${ref.kind}/${here}/${ref.name}`)) {
        add(
          i,
          'wiring/hpa-target-missing',
          'spec.scaleTargetRef',
          `scales ${ref.kind ?? '?'} "${ref.name ?? '?'}", which the input does not create in namespace "${here}"`,
          'error',
          { kind: String(ref.kind), namespace: here, name: String(ref.name) },
        );
      }
    } else if (m.kind === 'PodDisruptionBudget') {
      const selector = spec.selector as LabelSelector;
      if (!podsHere.candidates(asRecord(selector).matchLabels).some((p) => selectorMatches(selector, p.labels))) {
        add(
          i,
          'wiring/pdb-selects-nothing',
          'spec.selector',
          `selects no pods of a workload in namespace "${here}": the budget protects nothing; make the selector match a pod template's labels`,
        );
      }
    } else if (m.kind === 'Ingress' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('networking.k8s.io/')) {
      const backends: { b: Manifest; path: string }[] = [];
      if (spec.defaultBackend) backends.push({ b: asRecord(spec.defaultBackend), path: 'spec.defaultBackend' });
      asList(spec.rules).forEach((r, ri) =>
        asList(r.http?.paths).forEach((p, pi) => backends.push({ b: asRecord(p.backend), path: `spec.rules[${ri}].http.paths[${pi}].backend` })),
      );
      for (const { b, path } of backends) {
        const svc = asRecord(b.service);
        if (typeof svc.name !== 'string') continue;
        const port = asRecord(svc.port);
        checkServicePort(i, here, svc.name, port.number ?? port.name, `${path}.service`, 'ingress');
      }
    } else if (m.kind === 'HTTPRoute' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      checkParentListeners(i, m, spec, here);
      asList(spec.rules).forEach((r, ri) =>
        asList(r.backendRefs).forEach((b, bi) => {
          if ((b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service' || typeof b.name !== 'string') return;
          checkServicePort(i, typeof b.namespace === 'string' ? b.namespace : here, b.name, b.port, `spec.rules[${ri}].backendRefs[${bi}]`, 'httproute');
        }),
      );
    } else if (
      (m.kind === 'ServiceMonitor' || m.kind === 'PodMonitor') &&
      typeof m.apiVersion === 'string' &&
      m.apiVersion.startsWith('monitoring.coreos.com/')
    ) {
      checkMonitor(i, m, spec);
    }
  });

  /**
   * A parentRef to a Gateway of the input: the `sectionName` listener exists and its
   * allowedRoutes admit the route's namespace (`Same` by default). Otherwise the Gateway refuses
   * the route (Accepted false: NoMatchingParent / NotAllowedByListeners) and nothing is served.
   * Gateways outside the input (the platform stack's) are the references check's business.
   */
  function checkParentListeners(i: number, m: Manifest, spec: Record<string, unknown>, here: string): void {
    asList(spec.parentRefs).forEach((p, pi) => {
      if ((p.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io' || (p.kind ?? 'Gateway') !== 'Gateway' || typeof p.name !== 'string') return;
      const gwNs = typeof p.namespace === 'string' ? p.namespace : here;
      const gw = byKey.get(`Gateway/${gwNs}/${p.name}`);
      if (!gw || !String(gw.apiVersion).startsWith('gateway.networking.k8s.io/')) return;
      const listeners = asList(gw.spec?.listeners);
      const named = typeof p.sectionName === 'string' ? listeners.filter((l) => l.name === p.sectionName) : listeners;
      if (typeof p.sectionName === 'string' && named.length === 0) {
        const known = listeners.map((l) => String(l.name)).join(', ');
        add(
          i,
          'wiring/httproute-listener',
          `spec.parentRefs[${pi}].sectionName`,
          `Gateway "${gwNs}/${p.name}" has no listener "${p.sectionName}" (listeners: ${known || 'none'}): the route is not accepted; name one of its listeners`,
          'error',
        );
        return;
      }
      const admits = (l: Manifest): boolean => {
        const from = asRecord(asRecord(asRecord(l.allowedRoutes).namespaces)).from ?? 'Same';
        return from === 'All' || from === 'Selector' || (from === 'Same' && gwNs === here);
      };
      if (named.length > 0 && !named.some(admits)) {
        add(
          i,
          'wiring/httproute-listener',
          `spec.parentRefs[${pi}]`,
          `Gateway "${gwNs}/${p.name}"${typeof p.sectionName === 'string' ? ` listener "${p.sectionName}"` : ''} admits routes from its own namespace only (allowedRoutes.namespaces.from: Same), and this route is in "${here}": set from: All (or a Selector) on the listener`,
          'error',
        );
      }
    });
  }

  function checkServicePort(i: number, namespace: string, name: string, port: unknown, path: string, what: 'ingress' | 'httproute'): void {
    const svc = serviceByName.get(`${namespace}/${name}`);
    if (!svc) {
      add(
        i,
        `wiring/${what}-backend-missing`,
        `${path}.name`,
        `backend Service "${name}" is not created by the input in namespace "${namespace}": requests get 503; create it or declare it created outside`,
        'error',
        {
          kind: 'Service',
          namespace,
          name,
        },
      );
      return;
    }
    if (port === undefined) return;
    const ports = asList(svc.m.spec?.ports);
    const ok = typeof port === 'number' ? ports.some((p) => p.port === port) : ports.some((p) => p.name === port);
    if (!ok) {
      const known = ports.map((p) => (p.name ? `${p.name}/${p.port}` : String(p.port))).join(', ');
      add(
        i,
        `wiring/${what}-backend-port`,
        what === 'ingress' ? `${path}.port` : `${path}.port`,
        `Service "${name}" has no port ${JSON.stringify(port)} (ports: ${known || 'none'})`,
      );
    }
  }

  function checkMonitor(i: number, m: Manifest, spec: Record<string, unknown>): void {
    const nsSel = asRecord(spec.namespaceSelector);
    const inNs = (x: string): boolean => nsSel.any === true || (Array.isArray(nsSel.matchNames) ? nsSel.matchNames.includes(x) : x === ns(m));
    const selector = spec.selector as LabelSelector;
    if (m.kind === 'ServiceMonitor') {
      const selected = servicesByLabel
        .candidates(asRecord(selector).matchLabels)
        .filter(({ m: s }) => inNs(ns(s)) && selectorMatches(selector, s.metadata?.labels));
      if (selected.length === 0) {
        add(
          i,
          'wiring/monitor-selects-nothing',
          'spec.selector',
          `selects no Service of the input (labels and namespaceSelector): Prometheus scrapes nothing; match a Service's metadata.labels`,
        );
        return;
      }
      asList(spec.endpoints).forEach((e, n) => {
        if (typeof e.port !== 'string') return;
        const missing = selected.filter(({ m: s }) => !asList(s.spec?.ports).some((p) => p.name === e.port));
        if (missing.length > 0)
          add(
            i,
            'wiring/monitor-port',
            `spec.endpoints[${n}].port`,
            `port "${e.port}" is not a port name of ${missing.map(({ m: s }) => refOf(s)).join(', ')}`,
          );
      });
    } else {
      const selected = allPods.candidates(asRecord(selector).matchLabels).filter((p) => inNs(p.namespace) && selectorMatches(selector, p.labels));
      if (selected.length === 0) {
        add(
          i,
          'wiring/monitor-selects-nothing',
          'spec.selector',
          `selects no pods of a workload of the input (labels and namespaceSelector): Prometheus scrapes nothing; match a pod template's labels`,
        );
        return;
      }
      asList(spec.podMetricsEndpoints).forEach((e, n) => {
        if (typeof e.port !== 'string') return;
        const missing = selected.filter((p) => !p.portNames.has(e.port));
        if (missing.length > 0)
          add(
            i,
            'wiring/monitor-port',
            `spec.podMetricsEndpoints[${n}].port`,
            `port "${e.port}" is not a container port name of ${missing.map((p) => p.ref).join(', ')}`,
          );
      });
    }
  }
  return findings;
};
