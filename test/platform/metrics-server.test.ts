import { warningsOf } from '../../lib/core/warnings';
import { definePlatform, PlatformSpecInput } from '../../lib/platform-spec';
import { metricsServerValues } from '../../lib/platform/values/metrics-server';
import { platform as seeds } from '../../apps/platform.config';
import { platformStack, SEEDS } from './fixtures';

const withTls = (kubeletTls: unknown): PlatformSpecInput => ({ ...SEEDS, metricsServer: { kubeletTls } }) as PlatformSpecInput;
const storage = { monitoring: { ...SEEDS.monitoring, storage: { prometheus: { storageClassName: 'local-path' } } } };

describe('metrics-server: the kubelet certificate choice', () => {
  test("'verify' by default: kubelet certificates checked against the cluster CA, no extra flag", () => {
    const spec = definePlatform(SEEDS);
    expect(spec.metricsServer.kubeletTls).toEqual({ mode: 'verify' });
    expect(metricsServerValues(spec.metricsServer)).toEqual({ args: [] });
  });

  test("'serverTlsBootstrap' verifies too (the CSRs are approved on the cluster side) and warns about nothing", () => {
    const stack = platformStack({ ...withTls('serverTlsBootstrap'), ...storage });
    expect(stack.platform.metricsServer.kubeletTls).toEqual({ mode: 'serverTlsBootstrap' });
    expect(stack.metricsServer!.values).toEqual({ args: [] });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('{ insecure: { reason } } adds --kubelet-insecure-tls and a synth warning quoting the reason', () => {
    const stack = platformStack({ ...withTls({ insecure: { reason: 'lab VMs, kubelets self-signed' } }), ...storage });
    expect(stack.metricsServer!.values).toEqual({ args: ['--kubelet-insecure-tls'] });
    expect(stack.platform.metricsServer.kubeletInsecureTls).toBe(true);
    expect(warningsOf(stack)).toEqual([
      'test: metrics-server does not verify kubelet serving certificates (--kubelet-insecure-tls; reason: lab VMs, kubelets self-signed): ' +
        "anyone answering on a node's kubelet port can feed it metrics. Prefer kubeletTls: 'serverTlsBootstrap' (docs/platform.md)",
    ]);
  });

  test('the earlier kubeletInsecureTls: true still means insecure, and says so in the warning', () => {
    const spec = definePlatform({ metricsServer: { kubeletInsecureTls: true } });
    expect(spec.metricsServer.kubeletTls).toEqual({ mode: 'insecure', reason: 'kubeletInsecureTls: true' });
    expect(metricsServerValues(spec.metricsServer).args).toEqual(['--kubelet-insecure-tls']);
  });

  test("the seeds' cluster states its choice: serverTLSBootstrap with approved kubelet serving CSRs", () => {
    expect(seeds.metricsServer.kubeletTls).toEqual({ mode: 'serverTlsBootstrap' });
  });

  test('fails on an insecure choice without a reason, an unknown mode, or both fields', () => {
    expect(() => definePlatform(withTls({ insecure: { reason: ' ' } }))).toThrow(
      'platform: metricsServer.kubeletTls {"insecure":{"reason":" "}} is invalid: must be \'verify\', \'serverTlsBootstrap\' or { insecure: { reason } } with a non-empty reason',
    );
    expect(() => definePlatform(withTls('skip'))).toThrow(
      "platform: metricsServer.kubeletTls \"skip\" is invalid: must be 'verify', 'serverTlsBootstrap' or { insecure: { reason } } with a non-empty reason",
    );
    expect(() => definePlatform({ metricsServer: { kubeletInsecureTls: true, kubeletTls: 'verify' } })).toThrow(
      'platform: metricsServer.kubeletInsecureTls true is invalid: cannot be combined with kubeletTls: give only kubeletTls',
    );
    expect(() => definePlatform({ metricsServer: { kubeletInsecureTls: 'yes' } } as unknown as PlatformSpecInput)).toThrow(
      'platform: metricsServer.kubeletInsecureTls "yes" is invalid: must be true or false (prefer kubeletTls)',
    );
  });
});
