import { App, Testing } from 'cdk8s';
import { platform } from '../../apps/platform.config';
import { TenantNamespace, TenantNamespaceProps } from '../../lib/tenancy/tenant-namespace';

/** Resources small enough for the seeds' LimitRange and quota. */
export const SMALL = { cpu: { request: '100m', limit: '500m' }, memory: { request: '64Mi', limit: '128Mi' } };

/** A TenantNamespace on the example platform, alone in a fresh app. */
export function tenant(props: Partial<TenantNamespaceProps> = {}, id = 'dev-ns'): { app: App; t: TenantNamespace } {
  const app = Testing.app();
  const t = new TenantNamespace(app, id, { platform, ...props });
  return { app, t };
}
