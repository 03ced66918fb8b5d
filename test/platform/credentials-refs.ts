import { podTemplateOf } from '../support';

/** A Secret some object in the manifests reads, with the keys it reads (sorted). */
export interface SecretReference {
  readonly namespace: string;
  readonly name: string;
  readonly keys: string[];
}

/** Every string below `node` (env values, commands, args). */
function strings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const n of node) strings(n, out);
  else if (node && typeof node === 'object') for (const v of Object.values(node)) strings(v, out);
  return out;
}

/**
 * The Secrets pods and ServiceAccounts reference, per namespace: `secretKeyRef` keys, `envFrom`
 * Secrets, Secret volumes (with the keys the container reads from their mount path: `*_FILE`
 * variables, scripts), image pull secrets (`.dockerconfigjson`). TLS Secrets of Ingresses are
 * not pod references and are left out.
 */
export function secretReferences(objects: any[]): SecretReference[] {
  const found = new Map<string, { namespace: string; name: string; keys: Set<string> }>();
  const add = (namespace: string, name: string, key?: string): void => {
    const ref = `${namespace}/${name}`;
    const entry = found.get(ref) ?? { namespace, name, keys: new Set<string>() };
    if (key) entry.keys.add(key);
    found.set(ref, entry);
  };
  // The `*_FILE` paths may sit in a ConfigMap the container reads through configMapKeyRef or envFrom.
  const configMaps = new Map<string, Record<string, string>>();
  for (const obj of objects) {
    if (obj.kind === 'ConfigMap') configMaps.set(`${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name}`, obj.data ?? {});
  }
  for (const obj of objects) {
    const ns = obj.metadata?.namespace ?? 'default';
    if (obj.kind === 'ServiceAccount') {
      for (const p of obj.imagePullSecrets ?? []) add(ns, p.name, '.dockerconfigjson');
      continue;
    }
    const pod = podTemplateOf(obj);
    if (!pod) continue;
    const secretVolumes = new Map<string, string>();
    for (const v of pod.spec.volumes ?? []) {
      if (v.secret) {
        secretVolumes.set(v.name, v.secret.secretName);
        add(ns, v.secret.secretName);
        for (const item of v.secret.items ?? []) add(ns, v.secret.secretName, item.key);
      }
    }
    for (const p of pod.spec.imagePullSecrets ?? []) add(ns, p.name, '.dockerconfigjson');
    for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) add(ns, ref.name, ref.key);
      }
      for (const e of c.envFrom ?? []) if (e.secretRef) add(ns, e.secretRef.name);
      const fromConfigMaps = [
        ...(c.env ?? [])
          .map((e: any) => e.valueFrom?.configMapKeyRef)
          .filter(Boolean)
          .map((r: any) => configMaps.get(`${ns}/${r.name}`)?.[r.key]),
        ...(c.envFrom ?? []).filter((e: any) => e.configMapRef).map((e: any) => Object.values(configMaps.get(`${ns}/${e.configMapRef.name}`) ?? {})),
      ];
      const text = strings([c.env, c.command, c.args, fromConfigMaps]);
      for (const m of c.volumeMounts ?? []) {
        const secret = secretVolumes.get(m.name);
        if (!secret) continue;
        const prefix = `${m.mountPath.replace(/\/$/, '')}/`;
        for (const s of text) {
          for (const hit of s.matchAll(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([-._a-zA-Z0-9]+)`, 'g'))) add(ns, secret, hit[1]);
        }
      }
    }
  }
  return [...found.values()]
    .map((e) => ({ namespace: e.namespace, name: e.name, keys: [...e.keys].sort() }))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}
