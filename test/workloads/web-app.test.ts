import { App, Chart, Testing } from 'cdk8s';
import { WorkloadSecurity } from '../../lib/core/security';
import { WorkloadDefaults } from '../../lib/core/resources';
import { EnvValue } from '../../lib/workloads/env';
import { Probe } from '../../lib/workloads/probes';
import { WebApp } from '../../lib/workloads/web-app';
import { definePlatform } from '../../lib/platform-spec';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { EnvFrom } from '../../lib/workloads/web-app-props';
import { expectValidManifests, synthObjects, validateAll } from '../support';

function chart(namespace = 'shop'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}
/** Synthesizes and validates: every test chart passes the strict schema, restricted and Polaris checks. */
function validSynth(c: Chart, opts: { allowOptOut?: boolean } = {}): any[] {
  const objects = synthObjects(c);
  expectValidManifests(objects, opts);
  return objects;
}
function find(objects: any[], kind: string, name?: string): any {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
}

describe('WebApp defaults', () => {
  const c = chart();
  new WebApp(c, 'web', { image: 'nginx:1.27.3' });
  const objects = validSynth(c);
  const dep = find(objects, 'Deployment');
  const pod = dep.spec.template.spec;
  const main = pod.containers[0];

  test('emits Deployment, Service, PDB and NetworkPolicy with readable names', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/web',
      'NetworkPolicy/web',
      'PodDisruptionBudget/web',
      'Service/web',
    ]);
  });
  test('two replicas, revision history, spread over nodes', () => {
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.revisionHistoryLimit).toBe(5);
    expect(pod.topologySpreadConstraints).toEqual([
      {
        labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'web' } },
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
      },
    ]);
  });
  test('selector is the stable label subset; pods carry the recommended labels', () => {
    expect(dep.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'web' } });
    expect(dep.spec.template.metadata.labels).toEqual({
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/managed-by': 'cdk8s-paas',
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/version': '1.27.3',
    });
  });
  test('resources always set from the library defaults', () => {
    expect(main.resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  });
  test('liveness and readiness probe the main port by name', () => {
    expect(main.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(main.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(main.startupProbe).toBeUndefined();
  });
  test('restricted security context, no token mounted, /tmp writable', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(main.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(main.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'writable-0' }]);
  });
  test('ClusterIP Service targets the port by name', () => {
    const svc = find(objects, 'Service');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
  });
  test('PDB allows one pod down and selects the pods', () => {
    const pdb = find(objects, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: dep.spec.selector });
  });
  test('passes the strict schema, restricted and Polaris checks', () => {
    expectValidManifests(objects);
  });
});

describe('WebApp features', () => {
  test('environment: literals, single keys, whole ConfigMaps and Secrets with a prefix', () => {
    const c = chart();
    const app = new WebApp(c, 'wp', {
      image: 'wordpress:6.6.2-apache',
      env: { B_LITERAL: EnvValue.value('x'), A_SECRET: EnvValue.fromSecret('db', 'password'), C_CM: EnvValue.fromConfigMap('cfg', 'host') },
      envFrom: [EnvFrom.configMap('wp-cm', 'WORDPRESS_DB_'), EnvFrom.secret('wp-secret')],
    });
    app.addEnv('LATE', EnvValue.fromField('metadata.name'));
    const main = find(validSynth(c), 'Deployment').spec.template.spec.containers[0];
    expect(main.env).toEqual([
      { name: 'A_SECRET', valueFrom: { secretKeyRef: { key: 'password', name: 'db' } } },
      { name: 'B_LITERAL', value: 'x' },
      { name: 'C_CM', valueFrom: { configMapKeyRef: { key: 'host', name: 'cfg' } } },
      { name: 'LATE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(main.envFrom).toEqual([{ configMapRef: { name: 'wp-cm' }, prefix: 'WORDPRESS_DB_' }, { secretRef: { name: 'wp-secret' } }]);
  });

  test('config files as a directory and as single files, with a checksum that follows the content', () => {
    const build = (content: string) => {
      const c = chart();
      new WebApp(c, 'ngx', {
        image: 'nginx:1.27.3',
        configFiles: [
          { id: 'conf', files: { 'default.conf': content }, mountPath: '/etc/nginx/conf.d' },
          { id: 'extra', files: { 'a.conf': 'a', 'b.conf': 'b' }, mountPath: '/etc/extra/', asSingleFiles: true },
        ],
      });
      return validSynth(c);
    };
    const objects = build('server {}');
    const dep = find(objects, 'Deployment');
    expect(find(objects, 'ConfigMap', 'ngx-conf').data).toEqual({ 'default.conf': 'server {}' });
    expect(dep.spec.template.spec.containers[0].volumeMounts).toEqual([
      { mountPath: '/etc/nginx/conf.d', name: 'config-conf', readOnly: true },
      { mountPath: '/etc/extra/a.conf', name: 'config-extra', readOnly: true, subPath: 'a.conf' },
      { mountPath: '/etc/extra/b.conf', name: 'config-extra', readOnly: true, subPath: 'b.conf' },
      { mountPath: '/tmp', name: 'writable-0' },
    ]);
    const checksum = dep.spec.template.metadata.annotations['checksum/config'];
    expect(checksum).toMatch(/^[a-f0-9]{64}$/);
    expect(find(build('server {}'), 'Deployment').spec.template.metadata.annotations['checksum/config']).toBe(checksum);
    expect(find(build('server { listen 8080; }'), 'Deployment').spec.template.metadata.annotations['checksum/config']).not.toBe(checksum);
  });

  test('autoscaling leaves replicas to the HPA and sizes the PDB on its minimum', () => {
    const c = chart();
    const app = new WebApp(c, 'web', { image: 'nginx:1.27.3', autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 60, memoryUtilization: 80 } });
    const objects = validSynth(c);
    expect(find(objects, 'Deployment').spec.replicas).toBeUndefined();
    const hpa = find(objects, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
    expect(hpa.spec.metrics).toEqual([
      { resource: { name: 'cpu', target: { averageUtilization: 60, type: 'Utilization' } }, type: 'Resource' },
      { resource: { name: 'memory', target: { averageUtilization: 80, type: 'Utilization' } }, type: 'Resource' },
    ]);
    expect(app.autoscalerName).toBe('web');
    expect([app.minReplicas, app.maxReplicas]).toEqual([3, 10]);
    expectValidManifests(objects);
  });

  test('a single replica gets no PDB and no spread', () => {
    const c = chart();
    new WebApp(c, 'one', { image: 'nginx:1.27.3', replicas: 1 });
    const objects = synthObjects(c);
    // One replica is the user's explicit choice; Polaris rightly warns about what it costs.
    expectValidManifests(objects, { polarisAllow: ['deploymentMissingReplicas', 'missingPodDisruptionBudget', 'topologySpreadConstraint'] });
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    expect(find(objects, 'Deployment').spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('probes with HTTP, TCP and exec actions and their timing fields', () => {
    const c = chart();
    new WebApp(c, 'ngx', {
      image: 'nginx:1.27.3',
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'admin', containerPort: 9000 },
      ],
      probes: {
        startup: Probe.exec(['cat', '/var/run/nginx.pid'], { periodSeconds: 1, failureThreshold: 30 }),
        liveness: Probe.tcp({ port: 'admin', periodSeconds: 10 }),
        readiness: Probe.http('/ready', { periodSeconds: 5, successThreshold: 2, initialDelaySeconds: 3 }),
      },
    });
    const main = find(validSynth(c), 'Deployment').spec.template.spec.containers[0];
    expect(main.startupProbe).toEqual({
      exec: { command: ['cat', '/var/run/nginx.pid'] },
      failureThreshold: 30,
      periodSeconds: 1,
      successThreshold: 1,
      timeoutSeconds: 1,
    });
    expect(main.livenessProbe).toEqual({ tcpSocket: { port: 'admin' }, failureThreshold: 3, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 });
    expect(main.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 'http' },
      failureThreshold: 3,
      initialDelaySeconds: 3,
      periodSeconds: 5,
      successThreshold: 2,
      timeoutSeconds: 1,
    });
  });

  test('rolling update, minReadySeconds, revision history and change cause', () => {
    const c = chart();
    new WebApp(c, 'web', {
      image: 'nginx:1.27.3',
      rollingUpdate: { maxSurge: 1, maxUnavailable: '0%' },
      minReadySeconds: 15,
      revisionHistoryLimit: 3,
      changeCause: 'v1, ngx=1.21',
    });
    const dep = find(validSynth(c), 'Deployment');
    expect(dep.spec.strategy).toEqual({ rollingUpdate: { maxSurge: 1, maxUnavailable: '0%' }, type: 'RollingUpdate' });
    expect(dep.spec.minReadySeconds).toBe(15);
    expect(dep.spec.revisionHistoryLimit).toBe(3);
    expect(dep.metadata.annotations['kubernetes.io/change-cause']).toBe('v1, ngx=1.21');
  });

  test('NodePort Service with a checked port', () => {
    const c = chart();
    new WebApp(c, 'web', { image: 'nginx:1.27.3', serviceType: 'NodePort', ports: [{ name: 'http', containerPort: 8080, servicePort: 80, nodePort: 30080 }] });
    const svc = find(validSynth(c), 'Service');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports[0]).toEqual({ name: 'http', nodePort: 30080, port: 80, protocol: 'TCP', targetPort: 'http' });
  });

  test('binding port 80 as non-root uses the safe unprivileged-port sysctl', () => {
    const c = chart();
    new WebApp(c, 'wp', {
      image: 'wordpress:6.6.2-apache',
      ports: [{ name: 'http', containerPort: 80 }],
      security: WorkloadSecurity.restricted({ user: 33, unprivilegedPortStart: 80 }),
    });
    const objects = validSynth(c);
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(pod.securityContext).toMatchObject({ runAsUser: 33, runAsGroup: 33, fsGroup: 33 });
    expectValidManifests(objects);
  });

  test('an explicit opt-out is annotated and fails the restricted check unless allowed', () => {
    const c = chart();
    new WebApp(c, 'legacy', {
      image: 'legacy/app:1.0.0',
      security: WorkloadSecurity.optOut({ reason: 'vendor image writes to / and runs as root', runAsRoot: true, writableRootFilesystem: true }),
    });
    const objects = synthObjects(c);
    const dep = find(objects, 'Deployment');
    // With the opt-out accepted, what remains is exactly what the opt-out asked for.
    expect(validateAll(objects, { allowOptOut: true })).toEqual([
      'polaris warning notReadOnlyRootFilesystem: Deployment shop/legacy container "legacy": set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where the process writes)',
      'polaris danger runAsRootAllowed: Deployment shop/legacy container "legacy": run as non-root: set runAsNonRoot: true and a non-zero runAsUser on the container or the pod',
    ]);
    expect(dep.metadata.annotations['paas.cdk8s.io/pod-security-opt-out']).toBe('vendor image writes to / and runs as root');
    expect(dep.spec.template.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0, readOnlyRootFilesystem: false });
    expect(() => expectValidManifests(objects)).toThrow(/restricted/);
  });

  test('image pull secrets and service account', () => {
    const c = chart();
    new WebApp(c, 'web', { image: 'harbor.test/library/web:1.0.0', imagePullSecrets: ['harbor-pull'], serviceAccountName: 'web' });
    const pod = find(validSynth(c), 'Deployment').spec.template.spec;
    expect(pod.imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
    expect(pod.serviceAccountName).toBe('web');
  });

  test('app-wide resource defaults are overridable per field', () => {
    const app = Testing.app();
    WorkloadDefaults.set(app, { resources: { memory: { request: '64Mi', limit: '128Mi' } } });
    const c = new Chart(app, 'c', { namespace: 'x' });
    new WebApp(c, 'web', { image: 'nginx:1.27.3', resources: { cpu: { limit: '1' } } });
    expect(find(validSynth(c), 'Deployment').spec.template.spec.containers[0].resources).toEqual({
      limits: { cpu: '1', memory: '128Mi' },
      requests: { cpu: '100m', memory: '64Mi' },
    });
  });

  test('mounts a ReadWriteMany claim', () => {
    const c = chart();
    const app = new WebApp(c, 'wp', { image: 'wordpress:6.6.2-apache', ports: [{ name: 'http', containerPort: 8080 }] });
    app.mountClaim({ claimName: 'uploads', readWriteMany: true }, '/var/www/html/wp-content/uploads');
    const pod = find(validSynth(c), 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'claim-uploads', persistentVolumeClaim: { claimName: 'uploads', readOnly: false } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ mountPath: '/var/www/html/wp-content/uploads', name: 'claim-uploads' });
  });

  test("the app's NetworkPolicy follows its tenant on same-namespace traffic", () => {
    const ingressOf = (allowSameNamespace?: boolean) => {
      const app = Testing.app();
      const tenant = new TenantNamespace(app, 'team', { platform: definePlatform(), network: { allowSameNamespace } });
      new WebApp(tenant, 'web', { image: 'nginx:1.27.3' });
      return find(validSynth(tenant), 'NetworkPolicy', 'web').spec.ingress;
    };
    expect(ingressOf()).toEqual([]);
    expect(ingressOf(true)).toEqual([{ from: [{ podSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
  });

  test('the same input synthesizes byte-identical output', () => {
    const yaml = () => {
      const app = new App({ outdir: '/nonexistent' });
      const c = new Chart(app, 'c', { namespace: 'x' });
      new WebApp(c, 'web', {
        image: 'nginx:1.27.3',
        autoscaling: { maxReplicas: 4 },
        configFiles: [{ id: 'c', files: { b: '2', a: '1' }, mountPath: '/etc/c' }],
      });
      return app.synthYaml();
    };
    expect(yaml()).toBe(yaml());
  });
});

describe('WebApp validation', () => {
  const make =
    (props: any, id = 'web') =>
    () =>
      new WebApp(chart(), id, { image: 'nginx:1.27.3', ...props });

  test('fails if the image uses :latest', () => {
    expect(make({ image: 'nginx:latest' })).toThrow(
      'test/web: image "nginx:latest" is invalid: must not use the ":latest" tag: pin a version tag or a digest (e.g. "nginx:1.27.3")',
    );
  });
  test('fails if the image has no tag', () => {
    expect(make({ image: 'nginx' })).toThrow(
      'test/web: image "nginx" is invalid: must name a tag or a digest: an untagged image means ":latest", which changes under you (e.g. "nginx:1.27.3")',
    );
  });
  test('accepts a digest', () => {
    expect(make({ image: `nginx@sha256:${'a'.repeat(64)}` })).not.toThrow();
  });
  test('fails if memory is written with MB, with a hint', () => {
    expect(make({ resources: { memory: { request: '128MB' } } })).toThrow(
      'test/web: resources.memory.request "128MB" is invalid: must be a positive memory quantity such as "128Mi", "1Gi" or "500M" (did you mean "128Mi"? Kubernetes spells binary units Ki, Mi, Gi without "B")',
    );
  });
  test('fails if a memory quantity is given as CPU, with a hint', () => {
    expect(make({ resources: { cpu: { limit: '1.5Gi' } } })).toThrow(
      'test/web: resources.cpu.limit "1.5Gi" is invalid: must be a positive CPU quantity in cores ("0.5", "2") or millicores ("100m") (that looks like a memory quantity; CPU is given in cores such as "0.5" or millicores such as "500m")',
    );
  });
  test('fails if a request exceeds its limit', () => {
    expect(make({ resources: { cpu: { request: '2', limit: '1' } } })).toThrow(
      'test/web: resources.cpu.request "2" is invalid: must not exceed the CPU limit "1"',
    );
  });
  test('fails if the NodePort is outside 30000-32767', () => {
    expect(make({ serviceType: 'NodePort', ports: [{ name: 'http', containerPort: 8080, nodePort: 8080 }] })).toThrow(
      'test/web: ports[0].nodePort 8080 is invalid: must be in the NodePort range 30000-32767',
    );
  });
  test('fails if autoscaling min exceeds max', () => {
    expect(make({ autoscaling: { minReplicas: 5, maxReplicas: 3 } })).toThrow(
      'test/web: autoscaling.maxReplicas 3 is invalid: must be an integer >= minReplicas (5)',
    );
  });
  test('fails if utilization is outside 1-100', () => {
    expect(make({ autoscaling: { maxReplicas: 3, cpuUtilization: 150 } })).toThrow(
      'test/web: autoscaling.cpuUtilization 150 is invalid: must be an integer percentage 1-100',
    );
  });
  test('fails if a port below 1024 is bound as non-root without the sysctl', () => {
    expect(make({ ports: [{ name: 'http', containerPort: 80 }] })).toThrow(
      'test/web: ports[0].containerPort 80 is invalid: is below 1024, which a non-root process cannot bind: use a port >= 1024, or WorkloadSecurity.restricted({ unprivilegedPortStart: 80 })',
    );
  });
  test('fails if a port name is not an IANA service name', () => {
    expect(make({ ports: [{ name: 'HTTP_PORT', containerPort: 8080 }] })).toThrow(
      'test/web: ports[0].name "HTTP_PORT" is invalid: must be an IANA service name: 1-15 lower-case letters, digits and single \'-\', at least one letter',
    );
  });
  test('fails if a probe names an unknown port', () => {
    expect(make({ probes: { readiness: Probe.http('/ready', { port: 'metrics' }) } })).toThrow(
      'test/web: probes.readiness.port "metrics" is invalid: must be one of the container\'s port names ("http") or a number',
    );
  });
  test('fails if a liveness probe has successThreshold other than 1', () => {
    expect(make({ probes: { liveness: Probe.tcp({ successThreshold: 2 }) } })).toThrow(
      'test/web: probes.liveness.successThreshold 2 is invalid: must be 1 for liveness probes (Kubernetes rejects other values)',
    );
  });
  test('fails if the PDB would block every eviction', () => {
    expect(make({ replicas: 2, disruptionBudget: { maxUnavailable: 2 } })).toThrow(
      'test/web: disruptionBudget.maxUnavailable 2 is invalid: must be an integer from 1 to 1 (below the minimum of 2 replicas, and above 0 so nodes can drain)',
    );
  });
  test('fails if the name is not a DNS label', () => {
    expect(make({ name: 'Web_App' })).toThrow(
      'test/web: name "Web_App" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and \'-\', starting and ending with a letter or digit',
    );
  });
  test('reports several problems at once', () => {
    expect(make({ image: 'nginx', replicas: -1 })).toThrow(
      /^2 problems:\n {2}- test\/web: image "nginx" is invalid: .*\n {2}- test\/web: replicas -1 is invalid: must be an integer >= 0$/,
    );
  });
  test('fails if an environment variable is set twice', () => {
    const c = chart();
    const app = new WebApp(c, 'web', { image: 'nginx:1.27.3', env: { A: EnvValue.value('1') } });
    expect(() => app.addEnv('A', EnvValue.value('2'))).toThrow('test/web: env "A" is invalid: is already set on this app; each variable may be set once');
    // Plain JavaScript: a string where an EnvValue belongs is our error, not a TypeError (the check BatchJob and NodeAgent share).
    expect(() => app.addEnv('B', 'two' as unknown as EnvValue)).toThrow(
      'test/web: env.B "two" is invalid: must be an EnvValue: EnvValue.value(), .fromSecret(), .fromConfigMap() or .fromField()',
    );
  });
  test('fails if a ReadWriteOnce claim is mounted by several replicas', () => {
    const c = chart();
    const app = new WebApp(c, 'web', { image: 'nginx:1.27.3' });
    expect(() => app.mountClaim({ claimName: 'data', readWriteMany: false }, '/data')).toThrow(
      'test/web: mountClaim "data" is invalid: is not ReadWriteMany but the app runs up to 2 replicas that may land on different nodes: use a ReadWriteMany claim or mount it read-only',
    );
  });
  test('fails if an unknown port is asked for', () => {
    const app = new WebApp(chart(), 'web', { image: 'nginx:1.27.3' });
    expect(() => app.port('metrics')).toThrow('test/web: port "metrics" is invalid: must be one of the app\'s port names: "http"');
  });
  test('fails at synth if two apps share a name in a namespace', () => {
    const c = chart();
    new WebApp(c, 'web', { image: 'nginx:1.27.3' });
    new WebApp(c, 'web2', { image: 'nginx:1.27.3', name: 'web' });
    expect(() => Testing.synth(c)).toThrow(
      'test/web2: name "web" is invalid: Deployment "web" already exists in namespace "shop" (created by test/web); choose a unique name',
    );
  });
});
