import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { PlatformStack, PlatformStackProps } from '../../lib/platform';
import { definePlatform, PlatformSpecInput } from '../../lib/platform-spec';

/** Synthesized Terraform JSON of one stack, parsed. */
export interface StackJson {
  readonly resource: Record<string, Record<string, any>>;
  readonly variable: Record<string, any>;
  readonly provider: Record<string, any[]>;
  readonly terraform: Record<string, any>;
}

let outdir: string | undefined;

/** A PlatformStack in a fresh cdktf App whose outdir is a temp folder (never the repo). */
export function platformStack(input: PlatformSpecInput, props: Omit<PlatformStackProps, 'platform'> = {}, id = 'test'): PlatformStack {
  outdir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'paas-platform-test-'));
  const app = new App({ outdir, stackTraces: false });
  return new PlatformStack(app, id, { platform: definePlatform(input), ...props });
}

export function synthStack(stack: PlatformStack): StackJson {
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** The seeds' cluster (nfs-subdir, ingress-nginx, Grafana and Harbor with TLS from the platform's self-signed CA). */
export const SEEDS: PlatformSpecInput = {
  name: 'seeds',
  certificates: { issuer: 'self-signed-ca' },
  nfs: { server: '192.168.56.10', path: '/srv/nfs/k8s', mountOptions: ['nfsvers=4.1'] },
  monitoring: { grafana: { host: 'grafana.test', tlsSecretName: 'grafana-tls' } },
  registry: { host: 'harbor.test', tlsSecretName: 'harbor-tls' },
};

/** The other branches: csi-driver-nfs, Traefik with Gateway API, no TLS, two Harbor replicas. */
export const ALTERNATIVE: PlatformSpecInput = {
  name: 'alt',
  kubernetesVersion: '1.34',
  nfs: {
    server: 'nfs.example.com',
    path: '/exports/k8s',
    backend: 'csi-driver-nfs',
    onDelete: 'retain',
    defaultClass: true,
    mountPermissions: '0775',
    mountOptions: ['nfsvers=4.1', 'hard'],
    storageClassName: 'nfs-csi',
  },
  ingress: { controller: 'traefik', gatewayApi: { gatewayNamespace: 'gateways' }, serviceType: 'NodePort', defaultClass: false },
  monitoring: { grafana: { host: 'grafana.example.com' } },
  registry: { host: 'registry.example.com', harborReplicas: 2, harborStorageSize: '100Gi' },
  metricsServer: { kubeletInsecureTls: true, namespace: 'kube-system' },
};

/** Every Harbor secret from existing Secrets, Grafana's admin from an existing Secret. */
export const EXISTING_SECRETS: Omit<PlatformStackProps, 'platform'> = {
  grafanaAdminSecretName: 'grafana-admin',
  harborExistingSecrets: {
    adminPassword: 'harbor-admin',
    secretKey: 'harbor-secret-key',
    core: 'harbor-core',
    xsrf: 'harbor-xsrf',
    jobservice: 'harbor-jobservice',
    registryHttp: 'harbor-registry-http',
    registryCredentials: 'harbor-registry-credentials',
    token: 'harbor-token',
  },
};
