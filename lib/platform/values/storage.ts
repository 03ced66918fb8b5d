import { ProblemCollector } from '../../core/errors';
import { checkDnsSubdomain } from '../../core/names';
import { checkStorage } from '../../core/quantities';

/**
 * Where the monitoring add-ons keep their data. Pure data and pure functions (no cdktf import):
 * `definePlatform` resolves the spec part here, the platform stack turns it into chart values.
 *
 * Choices, and why:
 * - Alertmanager (silences, notification log) and Grafana (users, folders, anything saved in its
 *   UI; dashboards from ConfigMaps are re-read by the sidecar anyway) get claims on the NFS class
 *   by default, so a rescheduled pod finds its data again and the class's `onDelete` (archive by
 *   default) keeps it when a claim is deleted.
 * - Grafana keeps its SQLite database on that claim, with WAL off: SQLite's WAL mode needs shared
 *   memory between processes, which does not work over a network file system, while the default
 *   rollback journal only needs POSIX locks, which NFSv4 provides. One replica and the
 *   `Recreate` strategy, so two pods never write the file at once during a rollout. For several
 *   replicas, point `grafana.ini` `database` at MySQL or PostgreSQL through the overrides.
 * - Grafana's `init-chown-data` init container is switched off: it runs as root with CHOWN,
 *   which the monitoring namespace's `restricted` level rejects. nfs-subdir creates each
 *   volume's folder world-writable, so Grafana's UID 472 and Alertmanager's UID 1000 can write
 *   (fsGroup has no effect on NFS); with csi-driver-nfs set `nfs.mountPermissions`.
 * - Prometheus's TSDB is not supported on NFS (its storage docs: non-POSIX file systems, NFS
 *   included, can corrupt the database beyond repair), so it stays on an emptyDir unless the spec
 *   names a block or local class, and synth warns that its history is lost when the pod moves.
 */

/** A claim for one add-on. */
export interface AddonClaimInput {
  /** StorageClass of the claim. @default the platform's NFS class (Alertmanager, Grafana) */
  readonly storageClassName?: string;
  /** Requested size. @default '1Gi' (Alertmanager, Grafana), '20Gi' (Prometheus) */
  readonly size?: string;
}

export interface MonitoringStorageInput {
  /**
   * Prometheus's TSDB on claims of a block or local StorageClass (e.g. Longhorn, a cloud disk,
   * local-path); the NFS class is refused.
   * @default - emptyDir on the node's disk, with a synth warning (history lost when the pod moves)
   */
  readonly prometheus?: AddonClaimInput & { readonly storageClassName: string };
  /** Alertmanager's claim, or `false` for an emptyDir. @default - 1Gi on the NFS class (emptyDir with a warning without NFS) */
  readonly alertmanager?: AddonClaimInput | false;
  /** Grafana's claim, or `false` for an emptyDir. @default - 1Gi on the NFS class (emptyDir with a warning without NFS) */
  readonly grafana?: AddonClaimInput | false;
}

/** A resolved claim. */
export interface AddonClaim {
  readonly storageClassName: string;
  readonly size: string;
}

/** Where each monitoring add-on keeps its data; undefined is an emptyDir. */
export interface MonitoringStorage {
  readonly prometheus?: AddonClaim;
  readonly alertmanager?: AddonClaim;
  readonly grafana?: AddonClaim;
  /** Add-ons on an emptyDir because the user said so (`false`): no warning for them. */
  readonly emptyDirByChoice: ReadonlyArray<'alertmanager' | 'grafana'>;
}

const FIELD = 'monitoring.storage';

/** Resolves `monitoring.storage` against the platform's NFS class (if any). */
export function resolveMonitoringStorage(path: string, input: MonitoringStorageInput | undefined, nfsClass: string | undefined): MonitoringStorage {
  const problems = new ProblemCollector(path);
  const given = input ?? {};
  const claim = (key: keyof MonitoringStorageInput, c: AddonClaimInput, defaultSize: string, defaultClass: string | undefined): AddonClaim | undefined => {
    const className = c.storageClassName ?? defaultClass;
    if (className === undefined) return undefined;
    const storageClassName = problems.capture(() => checkDnsSubdomain(path, `${FIELD}.${key}.storageClassName`, className));
    const size = problems.capture(() => checkStorage(path, `${FIELD}.${key}.size`, c.size ?? defaultSize));
    return storageClassName && size ? { storageClassName, size } : undefined;
  };
  const shaped = (key: 'alertmanager' | 'grafana'): AddonClaimInput | false => {
    const v = given[key];
    if (v === undefined || v === false) return v ?? {};
    if (typeof v !== 'object' || v === null) {
      problems.add(`${FIELD}.${key}`, v, 'must be { storageClassName?, size? } or false (an emptyDir)');
      return false;
    }
    return v;
  };
  let prometheus: AddonClaim | undefined;
  if (given.prometheus !== undefined) {
    const p = given.prometheus;
    if (typeof p !== 'object' || p === null || typeof p.storageClassName !== 'string') {
      problems.add(`${FIELD}.prometheus`, p, 'must be { storageClassName, size? } naming a block or local StorageClass');
    } else if (nfsClass !== undefined && p.storageClassName === nfsClass) {
      problems.add(
        `${FIELD}.prometheus.storageClassName`,
        p.storageClassName,
        "is the NFS class: Prometheus's TSDB is not supported on NFS (corruption beyond repair); name a block or local class, or leave prometheus unset for an emptyDir",
      );
    } else {
      prometheus = claim('prometheus', p, '20Gi', undefined);
    }
  }
  const am = shaped('alertmanager');
  const grafana = shaped('grafana');
  const out: MonitoringStorage = {
    prometheus,
    alertmanager: am === false ? undefined : claim('alertmanager', am, '1Gi', nfsClass),
    grafana: grafana === false ? undefined : claim('grafana', grafana, '1Gi', nfsClass),
    emptyDirByChoice: (['alertmanager', 'grafana'] as const).filter((k) => given[k] === false),
  };
  problems.throwIfAny();
  return out;
}

/** Soft problems of the storage choice, for synth warnings. */
export function monitoringStorageWarnings(storage: MonitoringStorage, nfs?: { readonly backend: string; readonly mountPermissions?: string }): string[] {
  const out: string[] = [];
  if (!storage.prometheus) {
    out.push(
      "Prometheus keeps its TSDB on an emptyDir: the metrics history lives on the node's disk and is lost when the pod moves to another node. " +
        'Set monitoring.storage.prometheus to a block or local StorageClass (not NFS, which Prometheus does not support)',
    );
  }
  const missing = (['alertmanager', 'grafana'] as const).filter((k) => !storage[k] && !storage.emptyDirByChoice.includes(k));
  if (missing.length > 0) {
    out.push(
      `${missing.join(' and ')} keep their data on an emptyDir (no NFS class to claim): silences, notification state and what is saved in Grafana are lost when the pod moves. ` +
        'Configure nfs or set monitoring.storage.<addon>.storageClassName',
    );
  }
  const onNfs = storage.alertmanager || storage.grafana;
  if (onNfs && nfs?.backend === 'csi-driver-nfs' && (nfs.mountPermissions === undefined || /^0*$/.test(nfs.mountPermissions))) {
    out.push(
      'Alertmanager (UID 1000) and Grafana (UID 472) write to csi-driver-nfs volumes whose folders keep the export\'s permissions: set nfs.mountPermissions (e.g. "0777") or make the export writable for them',
    );
  }
  return out;
}

const claimSpec = (c: AddonClaim): Record<string, unknown> => ({
  storageClassName: c.storageClassName,
  accessModes: ['ReadWriteOnce'],
  resources: { requests: { storage: c.size } },
});

/** kube-prometheus-stack values for the storage choice (empty where an add-on stays on emptyDir). */
export function monitoringStorageValues(storage: MonitoringStorage): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (storage.prometheus) {
    values.prometheus = { prometheusSpec: { storageSpec: { volumeClaimTemplate: { spec: claimSpec(storage.prometheus) } } } };
  }
  if (storage.alertmanager) {
    values.alertmanager = { alertmanagerSpec: { storage: { volumeClaimTemplate: { spec: claimSpec(storage.alertmanager) } } } };
  }
  if (storage.grafana) {
    values.grafana = {
      persistence: {
        enabled: true,
        type: 'pvc',
        storageClassName: storage.grafana.storageClassName,
        accessModes: ['ReadWriteOnce'],
        size: storage.grafana.size,
      },
      initChownData: { enabled: false },
      deploymentStrategy: { type: 'Recreate' },
      'grafana.ini': { database: { wal: false } },
    };
  }
  return values;
}
