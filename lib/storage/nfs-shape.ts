import { checkLabelValue } from '../core/labels';
import { assertArgs, S, ShapeMatches } from '../core/shape';
import type { PlatformSpec } from '../platform-spec';
import type { NfsSpec } from '../platform-spec';
import type { NfsClaimOptions, NfsStorageProps } from './nfs-storage';
import type { NfsClassOptions, NfsStorageClassProps } from './nfs-storage-class';
import type { StaticNfsVolumeProps, StaticVolumeOptions } from './static-nfs-volume';
import type { VolumeClaimProps } from './volume-claim';
import type { AccessMode, IStorageClassHandle } from './types';

const str = S.string();
const strings = S.array(S.string());
const anyMode = S.custom<AccessMode>('a string', (v) => typeof v === 'string');

export const nfsClassOptionsShape = S.object('NfsClassOptions', {
  name: S.optional(str),
  onDelete: S.optional(S.oneOf('archive', 'retain', 'delete')),
  reclaimPolicy: S.optional(S.oneOf('Delete', 'Retain')),
  volumeBindingMode: S.optional(S.oneOf('Immediate', 'WaitForFirstConsumer')),
  mountOptions: S.optional(strings),
  defaultClass: S.optional(S.boolean()),
  pathPattern: S.optional(str),
  subDir: S.optional(str),
  mountPermissions: S.optional(str),
  allowVolumeExpansion: S.optional(S.boolean()),
});

export const staticVolumeOptionsShape = S.object('StaticVolumeOptions', {
  path: str,
  capacity: str,
  // Known modes, no repeats: the volume's own rule.
  accessModes: S.optional(S.array(anyMode)),
  name: S.optional(str),
  storageClassName: S.optional(str),
  server: S.optional(str),
  mountOptions: S.optional(strings),
  readOnly: S.optional(S.boolean()),
});

const storageClassHandle = S.handle<IStorageClassHandle>(
  'a storage class handle: NfsStorage.storageClass, an NfsStorageClass, or StorageClassHandle.fromName()',
  {
    storageClassName: 'string',
    accessModes: 'object',
  },
);
export const nfsClaimOptionsShape = S.object('NfsClaimOptions', {
  size: str,
  // Known modes, no repeats: the claim's own rule.
  accessModes: S.optional(S.array(anyMode)),
  name: S.optional(str),
  appName: S.optional(S.string().refine(checkLabelValue)),
  storageClass: S.optional(storageClassHandle),
});

/** The platform's resolved nfs section, recognised by the parts the storage constructs read. */
const nfsSpecHandle = S.handle<NfsSpec>("the platform's nfs section (definePlatform({ nfs }).nfs)", {
  server: 'string',
  path: 'string',
  backend: 'string',
  storageClassName: 'string',
});

// The constructors' own props: the factory options plus what the factories fill in.
export const nfsStoragePropsShape = S.object('NfsStorageProps', { nfs: nfsSpecHandle });
export const nfsStorageClassPropsShape = S.object('NfsStorageClassProps', { ...nfsClassOptionsShape.props, nfs: nfsSpecHandle });
export const staticNfsVolumePropsShape = S.object('StaticNfsVolumeProps', { ...staticVolumeOptionsShape.props, nfs: nfsSpecHandle });
const { storageClass: _optionalClass, ...claimOptionProps } = nfsClaimOptionsShape.props;
void _optionalClass;
export const volumeClaimPropsShape = S.object('VolumeClaimProps', { ...claimOptionProps, storageClass: storageClassHandle, volumeName: S.optional(str) });

const constructorMatches: [
  ShapeMatches<typeof nfsStoragePropsShape, NfsStorageProps>,
  ShapeMatches<typeof nfsStorageClassPropsShape, NfsStorageClassProps>,
  ShapeMatches<typeof staticNfsVolumePropsShape, StaticNfsVolumeProps>,
  ShapeMatches<typeof volumeClaimPropsShape, VolumeClaimProps>,
] = [true, true, true, true];
void constructorMatches;

const matches: [
  ShapeMatches<typeof nfsClassOptionsShape, NfsClassOptions>,
  ShapeMatches<typeof staticVolumeOptionsShape, StaticVolumeOptions>,
  ShapeMatches<typeof nfsClaimOptionsShape, NfsClaimOptions>,
] = [true, true, true];
void matches;

const construct = S.handle<object>('a construct scope', { node: 'object' });
const id = S.string({ minLength: 1 });
const platform = S.handle<PlatformSpec>('a platform from definePlatform()', { ingress: 'object', monitoring: 'object' });

/** @internal `NfsStorage.fromPlatform(scope, id, platform)`. */
export function checkFromPlatform(scope: unknown, constructId: unknown, spec: unknown): void {
  assertArgs('NfsStorage.fromPlatform', [
    ['scope', scope, construct],
    ['id', constructId, id],
    ['platform', spec, platform],
  ]);
}
/** @internal `addClass(id, options)`, `staticVolume(id, options)`, `claim(scope, id, options)`. */
export function checkNfsArgs(path: string, method: 'addClass' | 'staticVolume' | 'claim', constructId: unknown, options: unknown, scope?: unknown): void {
  const shape = method === 'addClass' ? nfsClassOptionsShape : method === 'staticVolume' ? staticVolumeOptionsShape : nfsClaimOptionsShape;
  // Messages carry the path of the construct being made, as its own checks do.
  const at =
    method === 'claim' ? `${(scope as { node?: { path?: string } } | undefined)?.node?.path ?? ''}/${String(constructId)}` : `${path}/${String(constructId)}`;
  assertArgs(at, [
    ...(method === 'claim' ? ([[`${method}.scope`, scope, construct]] as const) : []),
    [`${method}.id`, constructId, id],
    ['options', options, shape],
  ]);
}
