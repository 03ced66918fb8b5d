/**
 * Pod Security levels per namespace: from Namespaces in the input and from the platform stack's
 * `kubernetes_namespace_v1` resources in a cdktf output (the add-on namespaces Helm installs into).
 * The admission controller judges a pod at its namespace's `enforce` label, so the checks must too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValidationInputError } from './input';
import { InputObject, PodSecurityLevel } from './types';

/** The label the Pod Security admission controller reads. */
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

function levelOf(labels: unknown): PodSecurityLevel | undefined {
  const v = (labels as Record<string, unknown> | undefined)?.[ENFORCE_LABEL];
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v) ? (v as PodSecurityLevel) : undefined;
}

/** Levels of the Namespaces among `objects` that carry an enforce label. */
export function levelsFromObjects(objects: readonly InputObject[], into: Map<string, PodSecurityLevel>): void {
  for (const { manifest } of objects) {
    if (manifest.kind !== 'Namespace' || manifest.apiVersion !== 'v1') continue;
    const level = levelOf(manifest.metadata?.labels);
    if (level && typeof manifest.metadata?.name === 'string') into.set(manifest.metadata.name, level);
  }
}

/** Levels of the `kubernetes_namespace_v1` resources in every `stacks/<stack>/cdk.tf.json` below `dir`. */
export function levelsFromCdktfOut(dir: string, into: Map<string, PodSecurityLevel>): void {
  const stacks = path.join(dir, 'stacks');
  if (!fs.existsSync(stacks)) throw new ValidationInputError(`${dir}: not a cdktf output folder (no stacks/ folder)`, dir);
  for (const stack of fs.readdirSync(stacks).sort()) {
    const file = path.join(stacks, stack, 'cdk.tf.json');
    if (!fs.existsSync(file)) continue;
    let json: { resource?: Record<string, Record<string, { metadata?: unknown }>> };
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ValidationInputError(`${file}: not valid JSON: ${(e as Error).message}`, file);
    }
    for (const res of Object.values(json.resource?.kubernetes_namespace_v1 ?? {})) {
      // cdktf writes a nested block as an object, Terraform JSON also allows a one-element list.
      const meta = (Array.isArray(res.metadata) ? res.metadata[0] : res.metadata) as { name?: unknown; labels?: unknown } | undefined;
      const level = levelOf(meta?.labels);
      if (level && typeof meta?.name === 'string') into.set(meta.name, level);
    }
  }
}
