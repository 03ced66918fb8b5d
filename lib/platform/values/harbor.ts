import type { CertificatesSpec, IngressSpec, NfsSpec, RegistrySpec } from '../../platform-spec';
import { CLUSTER_ISSUER_ANNOTATION } from '../issuers';

/**
 * Names of existing Secrets (in Harbor's namespace) for every secret the Harbor chart would
 * otherwise default or generate. Keys inside each Secret are the ones the chart reads.
 */
export interface HarborExistingSecrets {
  /** Key `HARBOR_ADMIN_PASSWORD`: the initial admin password (chart default "Harbor12345"). */
  readonly adminPassword: string;
  /** Key `secretKey`: 16-character encryption key (chart default "not-a-secure-key"). */
  readonly secretKey: string;
  /** Key `secret`: 16-character secret core uses with the other components (chart: random per render). */
  readonly core: string;
  /** Key `CSRF_KEY`: 32-character XSRF key (chart: random per render). */
  readonly xsrf: string;
  /** Key `JOBSERVICE_SECRET`: 16-character jobservice secret (chart: random per render). */
  readonly jobservice: string;
  /** Key `REGISTRY_HTTP_SECRET`: 16-character registry HTTP secret (chart: random per render). */
  readonly registryHttp: string;
  /** Keys `REGISTRY_PASSWD` and `REGISTRY_HTPASSWD`: registry credentials (chart default "harbor_registry_password"). */
  readonly registryCredentials: string;
  /**
   * Keys `tls.key` and `tls.crt` (a `kubernetes.io/tls` Secret): the key pair core signs registry
   * tokens with (`core.secretName`). Without any source the chart generates a throw-away pair on
   * every render, so each upgrade would swap it.
   * @default - the pair comes from the write-only variables `harbor_token_key` and `harbor_token_cert`
   */
  readonly token?: string;
}

/** The user name in the registry's htpasswd; not a secret, fixed so the htpasswd line can be made for it. */
export const HARBOR_REGISTRY_USER = 'harbor_registry_user';

/**
 * Harbor values paths delivered as write-only values when no existing Secret is named, with the
 * Terraform variable each comes from. The internal database password has no existing-Secret
 * option in the chart, so it is always a write-only value; the token key pair is one unless
 * `HarborExistingSecrets.token` names a Secret.
 */
export const HARBOR_WRITE_ONLY_PATHS = {
  adminPassword: { path: 'harborAdminPassword', variable: 'harbor_admin_password', hint: 'initial admin password' },
  secretKey: { path: 'secretKey', variable: 'harbor_secret_key', hint: 'exactly 16 characters' },
  core: { path: 'core.secret', variable: 'harbor_core_secret', hint: 'exactly 16 characters' },
  xsrf: { path: 'core.xsrfKey', variable: 'harbor_xsrf_key', hint: 'exactly 32 characters' },
  jobservice: { path: 'jobservice.secret', variable: 'harbor_jobservice_secret', hint: 'exactly 16 characters' },
  registryHttp: { path: 'registry.secret', variable: 'harbor_registry_http_secret', hint: 'exactly 16 characters' },
  registryPassword: { path: 'registry.credentials.password', variable: 'harbor_registry_credentials_password', hint: 'password the registry and core share' },
  registryHtpasswd: {
    path: 'registry.credentials.htpasswdString',
    variable: 'harbor_registry_htpasswd',
    hint: `bcrypt htpasswd line for ${HARBOR_REGISTRY_USER} and harbor_registry_credentials_password: htpasswd -nbB ${HARBOR_REGISTRY_USER} <password>`,
  },
  databasePassword: { path: 'database.internal.password', variable: 'harbor_database_password', hint: 'internal PostgreSQL superuser password' },
  tokenKey: { path: 'core.tokenKey', variable: 'harbor_token_key', hint: 'PEM RSA private key core signs registry tokens with' },
  tokenCert: { path: 'core.tokenCert', variable: 'harbor_token_cert', hint: 'PEM certificate of harbor_token_key' },
} as const;

interface HarborClaim {
  readonly storageClass: string;
  readonly accessMode: 'ReadWriteOnce' | 'ReadWriteMany';
  readonly size: string;
}

/** Values we set on Harbor. */
export interface HarborValues {
  readonly [key: string]: unknown;
  readonly expose: {
    readonly type: 'ingress';
    readonly tls: { readonly enabled: boolean; readonly certSource: 'secret' | 'none'; readonly secret?: { readonly secretName: string } };
    readonly ingress: {
      readonly hosts: { readonly core: string };
      readonly className: string;
      readonly annotations?: Readonly<Record<string, string>>;
    };
  };
  /** Must be the URL clients use (scheme and host of the ingress), or logins and `docker push` break. */
  readonly externalURL: string;
  readonly persistence: {
    readonly enabled: boolean;
    /** Keep claims when the release is uninstalled. */
    readonly resourcePolicy: 'keep';
    readonly persistentVolumeClaim: {
      readonly registry: HarborClaim;
      readonly jobservice: { readonly jobLog: HarborClaim };
      readonly database: HarborClaim;
      readonly redis: HarborClaim;
      readonly trivy: HarborClaim;
    };
  };
  readonly portal: { readonly replicas: number };
  readonly core: {
    readonly replicas: number;
    readonly existingSecret?: string;
    readonly existingXsrfSecret?: string;
    /** TLS Secret with the token-signing key pair. */
    readonly secretName?: string;
  };
  readonly jobservice: { readonly replicas: number; readonly existingSecret?: string };
  readonly registry: {
    readonly replicas: number;
    readonly existingSecret?: string;
    readonly credentials: { readonly username: string; readonly existingSecret?: string };
  };
  readonly existingSecretAdminPassword?: string;
  readonly existingSecretSecretKey?: string;
}

export interface HarborValuesOptions {
  readonly registry: RegistrySpec;
  readonly ingress: IngressSpec;
  /** The NFS class; without it Harbor's claims use the cluster's default StorageClass. */
  readonly nfs?: NfsSpec;
  /** @default - every secret from write-only values */
  readonly existingSecrets?: HarborExistingSecrets;
  /**
   * The platform's cert-manager: Harbor's TLS Secret is then issued by its ClusterIssuer.
   * @default - the TLS Secret must exist
   */
  readonly certificates?: CertificatesSpec;
}

/**
 * Harbor values: exposed through the platform's IngressClass at the registry host, externalURL
 * derived from the same host and TLS setting, every claim on the NFS class (registry and job log
 * ReadWriteMany when more than one replica shares them), claims kept on uninstall, and every
 * defaulted secret replaced by an existing Secret reference (or left to write-only values).
 */
export function harborValues(opts: HarborValuesOptions): HarborValues {
  const { registry, ingress, nfs } = opts;
  const replicas = registry.harborReplicas;
  const storageClass = nfs?.storageClassName ?? '';
  const shared = replicas > 1 ? 'ReadWriteMany' : 'ReadWriteOnce';
  const claim = (size: string, accessMode: HarborClaim['accessMode'] = 'ReadWriteOnce'): HarborClaim => ({ storageClass, accessMode, size });
  const tls = registry.tlsSecretName;
  const ex = opts.existingSecrets;
  return {
    expose: {
      type: 'ingress',
      tls: tls ? { enabled: true, certSource: 'secret', secret: { secretName: tls } } : { enabled: false, certSource: 'none' },
      ingress: {
        hosts: { core: registry.host },
        className: ingress.className,
        // the chart's nginx annotations force an HTTPS redirect, which has nothing to redirect to without TLS
        annotations: !tls
          ? { 'ingress.kubernetes.io/ssl-redirect': 'false', 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' }
          : opts.certificates
            ? { [CLUSTER_ISSUER_ANNOTATION]: opts.certificates.clusterIssuerName }
            : undefined,
      },
    },
    externalURL: registry.externalUrl,
    persistence: {
      enabled: true,
      resourcePolicy: 'keep',
      persistentVolumeClaim: {
        registry: claim(registry.harborStorageSize, shared),
        jobservice: { jobLog: claim('1Gi', shared) },
        database: claim('1Gi'),
        redis: claim('1Gi'),
        trivy: claim('5Gi'),
      },
    },
    portal: { replicas },
    core: { replicas, existingSecret: ex?.core, existingXsrfSecret: ex?.xsrf, secretName: ex?.token },
    jobservice: { replicas, existingSecret: ex?.jobservice },
    registry: {
      replicas,
      existingSecret: ex?.registryHttp,
      credentials: { username: HARBOR_REGISTRY_USER, existingSecret: ex?.registryCredentials },
    },
    existingSecretAdminPassword: ex?.adminPassword,
    existingSecretSecretKey: ex?.secretKey,
  };
}

/**
 * Which secrets go as write-only values: all of them without existing Secrets; with them, the
 * database password and, unless `existing.token` is named, the token key pair.
 */
export function harborWriteOnlyKeys(existing: HarborExistingSecrets | undefined): Array<keyof typeof HARBOR_WRITE_ONLY_PATHS> {
  if (!existing) return Object.keys(HARBOR_WRITE_ONLY_PATHS) as Array<keyof typeof HARBOR_WRITE_ONLY_PATHS>;
  return existing.token ? ['databasePassword'] : ['databasePassword', 'tokenKey', 'tokenCert'];
}
