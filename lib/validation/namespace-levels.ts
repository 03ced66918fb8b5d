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

/** The cdk.tf.json files of a cdktf output folder (`stacks/<stack>/cdk.tf.json`) or of one stack folder. */
export function cdktfStackFiles(dir: string): string[] {
  if (fs.existsSync(path.join(dir, 'cdk.tf.json'))) return [path.join(dir, 'cdk.tf.json')];
  const stacks = path.join(dir, 'stacks');
  if (!fs.existsSync(stacks) || !fs.statSync(stacks).isDirectory()) return [];
  return fs
    .readdirSync(stacks)
    .sort()
    .map((s) => path.join(stacks, s, 'cdk.tf.json'))
    .filter((f) => fs.existsSync(f));
}

/**
 * Levels of the `kubernetes_namespace_v1` resources of a cdktf output: every stack of a
 * `cdktf.out` folder, or one stack folder (`cdktf.out/stacks/<cluster>`) when clusters differ.
 */
export function levelsFromCdktfOut(dir: string, into: Map<string, PodSecurityLevel>): void {
  const files = cdktfStackFiles(dir);
  if (files.length === 0) throw new ValidationInputError(`${dir}: not a cdktf output folder (no stacks/<stack>/cdk.tf.json, no cdk.tf.json)`, dir);
  for (const file of files) {
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
