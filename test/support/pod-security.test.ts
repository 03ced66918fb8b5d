import { find, hardenedApp, mainContainer } from './fixtures';
import { checkRestricted, POD_SECURITY_OPT_OUT } from './pod-security';

const deployment = (): any => find(hardenedApp(), 'Deployment');
const podSpec = (d: any): any => d.spec.template.spec;

describe('checkRestricted (Pod Security Standards restricted, v1.28)', () => {
  test('a hardened Deployment passes', () => {
    expect(checkRestricted(hardenedApp())).toEqual([]);
  });

  test('fails if a container is privileged', () => {
    const objs = hardenedApp();
    mainContainer(objs).securityContext.privileged = true;
    expect(checkRestricted(objs)).toEqual(['Deployment shop/web: restricted: container "main" must not set securityContext.privileged=true']);
  });

  test('fails if seccomp is set neither on the pod nor on the container', () => {
    const d = deployment();
    delete podSpec(d).securityContext.seccompProfile;
    delete podSpec(d).containers[0].securityContext.seccompProfile;
    expect(checkRestricted([d])).toEqual([
      'Deployment shop/web: restricted: container "main" must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must)',
    ]);
  });

  test('fails if seccomp is Unconfined on the container even when the pod sets RuntimeDefault', () => {
    const d = deployment();
    podSpec(d).containers[0].securityContext.seccompProfile = { type: 'Unconfined' };
    expect(checkRestricted([d])).toEqual([
      'Deployment shop/web: restricted: container "main" must set securityContext.seccompProfile.type to RuntimeDefault or Localhost, not Unconfined',
    ]);
  });

  test('pod-level runAsNonRoot and seccomp cover containers that do not set them', () => {
    const d = deployment();
    delete podSpec(d).containers[0].securityContext.runAsNonRoot;
    delete podSpec(d).containers[0].securityContext.seccompProfile;
    expect(checkRestricted([d])).toEqual([]);
  });

  test('fails if a hostPath volume is used', () => {
    const d = deployment();
    podSpec(d).volumes.push({ name: 'host', hostPath: { path: '/var/run' } });
    expect(checkRestricted([d])).toEqual(['Deployment shop/web: restricted: volume "host" must not be a hostPath volume']);
  });

  test('fails if a volume type outside the restricted set is used', () => {
    const d = deployment();
    podSpec(d).volumes.push({ name: 'nfs', nfs: { server: 'nfs.example.com', path: '/export' } });
    expect(checkRestricted([d])).toEqual([
      'Deployment shop/web: restricted: volume "nfs" uses volume type nfs; allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret',
    ]);
  });

  test('fails if host namespaces or host ports are used', () => {
    const d = deployment();
    podSpec(d).hostNetwork = true;
    podSpec(d).hostPID = true;
    podSpec(d).containers[0].ports[0].hostPort = 8080;
    expect(checkRestricted([d])).toEqual([
      'Deployment shop/web: restricted: pod must not set hostNetwork=true',
      'Deployment shop/web: restricted: pod must not set hostPID=true',
      'Deployment shop/web: restricted: container "main" must not set hostPort (8080)',
    ]);
  });

  test('fails if capabilities are added beyond NET_BIND_SERVICE or ALL is not dropped', () => {
    const d = deployment();
    podSpec(d).containers[0].securityContext.capabilities = { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN'] };
    expect(checkRestricted([d])).toEqual([
      'Deployment shop/web: restricted: container "main" must not add capability CHOWN (restricted forbids it; only NET_BIND_SERVICE may be added)',
      'Deployment shop/web: restricted: container "main" must not add capability SYS_ADMIN (baseline forbids it; only NET_BIND_SERVICE may be added)',
      'Deployment shop/web: restricted: container "main" must set securityContext.capabilities.drop=["ALL"]',
    ]);
  });

  test('fails if privilege escalation is not disabled, naming the container', () => {
    const d = deployment();
    delete podSpec(d).containers[0].securityContext.allowPrivilegeEscalation;
    expect(checkRestricted([d])).toEqual(['Deployment shop/web: restricted: container "main" must set securityContext.allowPrivilegeEscalation=false']);
  });

  test('fails if a container runs as root', () => {
    const d = deployment();
    podSpec(d).containers[0].securityContext.runAsUser = 0;
    podSpec(d).containers[0].securityContext.runAsNonRoot = false;
    expect(checkRestricted([d])).toEqual([
      'Deployment shop/web: restricted: container "main" must not set securityContext.runAsNonRoot=false',
      'Deployment shop/web: restricted: container "main" must not set securityContext.runAsUser=0',
    ]);
  });

  test('allows only the v1.28 safe sysctls (tcp_keepalive_time came in v1.29)', () => {
    const d = deployment();
    podSpec(d).securityContext.sysctls = [
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '80' },
      { name: 'net.ipv4.ip_local_reserved_ports', value: '30000' },
      { name: 'net.ipv4.tcp_keepalive_time', value: '60' },
    ];
    expect(checkRestricted([d])).toEqual(['Deployment shop/web: restricted: pod must not set sysctl net.ipv4.tcp_keepalive_time (not in the v1.28 safe set)']);
  });

  test('fails on AppArmor unconfined, custom SELinux type and an unmasked /proc', () => {
    const d = deployment();
    d.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' };
    podSpec(d).securityContext.seLinuxOptions = { type: 'spc_t' };
    podSpec(d).containers[0].securityContext.procMount = 'Unmasked';
    expect(checkRestricted([d])).toEqual([
      'Deployment shop/web: restricted: annotation container.apparmor.security.beta.kubernetes.io/main must be runtime/default or localhost/*, not "unconfined"',
      'Deployment shop/web: restricted: pod must not set securityContext.seLinuxOptions.type="spc_t"',
      'Deployment shop/web: restricted: container "main" must not set securityContext.procMount=Unmasked',
    ]);
  });

  test('checks init containers and CronJob pod templates', () => {
    const d = deployment();
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', namespace: 'shop' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { metadata: {}, spec: { ...podSpec(d), initContainers: [{ name: 'init', image: 'busybox:1.36' }] } } } },
      },
    };
    expect(checkRestricted([cron])).toEqual([
      'CronJob shop/backup: restricted: initContainer "init" must set securityContext.capabilities.drop=["ALL"]',
      'CronJob shop/backup: restricted: initContainer "init" must set securityContext.allowPrivilegeEscalation=false',
    ]);
  });

  test('reports an opted-out workload unless the caller allows opt-outs', () => {
    const d = deployment();
    d.metadata.annotations = { [POD_SECURITY_OPT_OUT]: 'image needs root' };
    podSpec(d).containers[0].securityContext.runAsUser = 0;
    expect(checkRestricted([d])).toEqual([
      'Deployment shop/web: restricted: opted out ("image needs root") but this check was not called with allowOptOut',
      'Deployment shop/web: restricted: container "main" must not set securityContext.runAsUser=0',
    ]);
    expect(checkRestricted([d], { allowOptOut: true })).toEqual([]);
  });
});
