import { createdOutsideReason } from '../core/created-outside';
import { Construct } from 'constructs';
import { PaasValidationError, ProblemCollector } from '../core/errors';
import { checkLabelValue } from '../core/labels';
import { checkDnsSubdomain, defaultName, fitName, shortHash } from '../core/names';
import { resourcesShape } from '../core/resources-shape';
import { collectShape, S, ShapeMatches } from '../core/shape';
import { accessModeShape } from '../storage/storage-shape';
import { IStorageClassHandle } from '../storage/types';
import { ClaimRetentionProps, StatefulStoreProps, StoreProbes } from './stateful-store-props';
import { StoreCredentials, StoreEngine } from './store-engines';
import { envShape, probeShape, securityShape, writablePathsShape } from './web-app-shape';

export const storeProbesShape = S.object('StoreProbes', {
  startup: S.optional(probeShape),
  liveness: S.optional(probeShape),
  readiness: S.optional(probeShape),
});

export const claimRetentionShape = S.object('ClaimRetentionProps', {
  whenDeleted: S.optional(S.oneOf('Retain', 'Delete')),
  whenScaled: S.optional(S.oneOf('Retain', 'Delete')),
});

const secretKey = S.string().refine((path, field, key) => {
  if (!/^[-._a-zA-Z0-9]+$/.test(key))
    throw new PaasValidationError({ path, field, value: key, expected: "must be a Secret key: letters, digits, '-', '_' or '.'" });
});
export const storeCredentialsShape = S.object('StoreCredentials', {
  secretName: S.string().refine(checkDnsSubdomain),
  createdOutside: S.optional(createdOutsideReason),
  passwordKey: S.optional(secretKey),
  rootPasswordKey: S.optional(secretKey),
  userKey: S.optional(secretKey),
  databaseKey: S.optional(secretKey),
});

/** Interfaces leave no runtime trace: a storage handle is recognised by the members the store reads. */
export const storageClassHandleShape = S.handle<IStorageClassHandle>(
  'a storage class handle: NfsStorage.storageClass, an NfsStorageClass, or StorageClassHandle.fromName()',
  { storageClassName: 'string', accessModes: 'object', onDelete: 'string' },
);

/** Runtime shape of {@link StatefulStoreProps}, in the interface's order. */
export const statefulStorePropsShape = S.object('StatefulStoreProps', {
  engine: S.instance(StoreEngine, 'a StoreEngine: StoreEngine.redis(), .mariadb(), .postgres() or .generic({...})'),
  storage: storageClassHandleShape,
  storageSize: S.optional(S.string()),
  accessModes: S.optional(S.array(accessModeShape)),
  name: S.optional(S.string()),
  serviceName: S.optional(S.string()),
  appName: S.optional(S.string().refine(checkLabelValue)),
  component: S.optional(S.string().refine(checkLabelValue)),
  partOf: S.optional(S.string().refine(checkLabelValue)),
  replicas: S.optional(S.integer(1)),
  credentials: S.optional(storeCredentialsShape),
  credentialFiles: S.optional(S.boolean()),
  env: S.optional(envShape),
  resources: S.optional(resourcesShape),
  probes: S.optional(storeProbesShape),
  podManagementPolicy: S.optional(S.oneOf('OrderedReady', 'Parallel')),
  updateStrategy: S.optional(S.oneOf('RollingUpdate', 'OnDelete')),
  claimRetention: S.optional(claimRetentionShape),
  maxUnavailable: S.optional(S.integer(1, undefined, 'an integer >= 1: 0 blocks every node drain (Polaris pdbDisruptionsIsZero)')),
  security: S.optional(securityShape),
  writablePaths: S.optional(writablePathsShape),
  imagePullSecrets: S.optional(S.array(S.string().refine(checkDnsSubdomain))),
  imagePullPolicy: S.optional(S.oneOf('Always', 'IfNotPresent')),
  terminationGracePeriodSeconds: S.optional(S.integer(0)),
  revisionHistoryLimit: S.optional(S.integer(0)),
});

const matches: [
  ShapeMatches<typeof statefulStorePropsShape, StatefulStoreProps>,
  ShapeMatches<typeof storeProbesShape, StoreProbes>,
  ShapeMatches<typeof claimRetentionShape, ClaimRetentionProps>,
  ShapeMatches<typeof storeCredentialsShape, StoreCredentials>,
] = [true, true, true, true];
void matches;

/** Volume names of the store's pods other than its writable paths. */
const RESERVED_VOLUMES = ['data', 'store-credentials'];

/**
 * The emptyDir volume name of each writable path: readable (`/run/mysqld` -> `run-mysqld`), and
 * where two paths would share one (`/a.b` and `/a-b`), or one would take a name the store uses
 * itself (`/data`), each of those gets the naming scheme's hash suffix of its path instead.
 */
export function writableVolumeNames(paths: readonly string[]): string[] {
  const readable = paths.map((p) => fitName(defaultName(p.replace(/^\/+/, '')) || 'root'));
  const count = new Map<string, number>();
  for (const n of [...readable, ...RESERVED_VOLUMES]) count.set(n, (count.get(n) ?? 0) + 1);
  return readable.map((n, i) => ((count.get(n) ?? 0) > 1 ? `${n.slice(0, 54).replace(/-+$/, '')}-${shortHash(paths[i])}` : n));
}

/**
 * Checks StatefulStore props before anything is built: the shape first (every type problem at
 * once); the constructor's own collected rules follow. Adds the rules between props that the
 * constructor does not see: one mount per writable path, no PDB setting that cannot apply, no
 * variable the engine sets already.
 */
export function validateStatefulStoreProps(scope: Construct, id: string, props: unknown): asserts props is StatefulStoreProps {
  const path = ProblemCollector.pathOf(scope);
  const problems = new ProblemCollector(path);
  if (!collectShape(problems, path, props, statefulStorePropsShape)) problems.throwIfAny();
  const p = props as StatefulStoreProps;
  const engine = p.engine;
  const replicas = p.replicas ?? 1;
  if (p.maxUnavailable !== undefined && replicas < 2) {
    problems.add('maxUnavailable', p.maxUnavailable, 'must be left out with 1 replica: a PodDisruptionBudget is only emitted from 2 replicas');
  }
  const writable = p.writablePaths ?? engine.writablePaths;
  const seen = new Set<string>();
  for (const [i, w] of writable.entries()) {
    const normal = w.replace(/\/+$/, '') || '/';
    if (normal === '/') problems.add(`writablePaths[${i}]`, w, 'must not be the root folder: the root filesystem stays read-only');
    else if (seen.has(normal)) problems.add(`writablePaths[${i}]`, w, 'is already a writable path of this store');
    seen.add(normal);
  }
  const name = p.name ?? defaultName(id);
  const creds = p.credentials;
  const rendered = problems.capture(() =>
    engine._render({
      path,
      storeName: name,
      serviceName: p.serviceName ?? name,
      replicas,
      credentials: creds ? engine.resolveCredentials(creds) : undefined,
      credentialFiles: p.credentialFiles && creds ? `/run/secrets/${creds.secretName}` : undefined,
    }),
  );
  const engineEnv = new Set((rendered?.env ?? []).map((e) => e.name));
  for (const n of Object.keys(p.env ?? {})) {
    if (engineEnv.has(n)) problems.add(`env.${n}`, n, `is set by the ${engine.displayName} engine already; each variable may be set once`);
  }
  problems.throwIfAny();
}
