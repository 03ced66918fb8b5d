import { createdOutsideReason } from '../core/created-outside';
import { checkDnsSubdomain } from '../core/names';
import { assertArgs, S } from '../core/shape';

/** ConfigMap and Secret keys as the API server accepts them (`IsConfigMapKey`). */
const key = S.custom<string>(
  "a key of letters, digits, '-', '_' and '.' (at most 253 characters)",
  (v) => typeof v === 'string' && v.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(v) && v !== '.' && v !== '..',
);
const objectName = S.string().refine(checkDnsSubdomain);
const optional = S.union(S.boolean(), S.object('EnvRefOptions', { optional: S.optional(S.boolean()), createdOutside: S.optional(createdOutsideReason) }));

/**
 * Fields the downward API offers to environment variables (`status.podIPs` and `status.hostIPs`
 * since 1.28); labels and annotations by key.
 */
const FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const fieldPath = S.custom<string>(
  `a pod field: ${FIELD_PATHS.map((f) => `"${f}"`).join(', ')}, or metadata.labels['<key>'] / metadata.annotations['<key>']`,
  (v) => typeof v === 'string' && (FIELD_PATHS.includes(v) || /^metadata\.(labels|annotations)\['[^']+'\]$/.test(v)),
);

/** @internal */
export function checkEnvLiteral(value: unknown): void {
  assertArgs('EnvValue.value', [['value', value, S.string()]]);
}
/** @internal */
export function checkEnvRef(factory: 'fromSecret' | 'fromConfigMap', name: unknown, k: unknown, opt: unknown): void {
  assertArgs(`EnvValue.${factory}`, [
    [factory === 'fromSecret' ? 'secretName' : 'configMapName', name, objectName],
    ['key', k, key],
    ['optional', opt, optional],
  ]);
}
/** @internal */
export function checkEnvField(path: unknown): void {
  assertArgs('EnvValue.fromField', [['fieldPath', path, fieldPath]]);
}
