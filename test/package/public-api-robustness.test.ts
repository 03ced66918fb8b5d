import { App, Chart } from 'cdk8s';
import * as lib from '../../lib';
import { PaasValidationError } from '../../lib/core/errors';
import * as platform from '../../lib/platform';

/**
 * Every class both entries export (`cdk8s-paas`, `cdk8s-paas/platform`), constructed as
 * `new X(scope, 'x', props)` and every static method called, with what plain JavaScript may pass
 * for props. Each call either succeeds or throws our PaasValidationError; a TypeError (or any
 * other exception) from inside our code is a bug. Exported helper functions take data our own
 * code resolved and are not part of this sweep.
 */
const WRONG: unknown[] = [undefined, null, {}, 5, 'x', [], { typo: true }];

const classes = Object.entries({ ...lib, ...platform }).filter(
  ([, v]) => typeof v === 'function' && /^class /.test(Function.prototype.toString.call(v)),
) as Array<[string, new (...args: unknown[]) => unknown]>;

function escaped(call: () => unknown): string | undefined {
  try {
    call();
    return undefined;
  } catch (e) {
    return e instanceof PaasValidationError ? undefined : `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
}

test('the sweep covers the public constructs of both entries', () => {
  const names = classes.map(([n]) => n);
  for (const n of [
    'WebApp',
    'StatefulStore',
    'TenantNamespace',
    'IngressGateway',
    'MonitoringStack',
    'NfsStorage',
    'VolumeClaim',
    'PlatformStack',
    'CredentialsStack',
    'HelmAddon',
  ]) {
    expect(names).toContain(n);
  }
});

test.each(classes.map(([n, c]) => [n, c] as const))('%s: wrong props end in a PaasValidationError', (_name, cls) => {
  const problems: string[] = [];
  for (const props of WRONG) {
    const why = escaped(() => new cls(new Chart(new App(), 'c'), 'x', props));
    if (why) problems.push(`new (scope, 'x', ${JSON.stringify(props)}): ${why}`);
    for (const [method, fn] of Object.entries(cls)) {
      if (typeof fn !== 'function') continue;
      const w = escaped(() => (fn as (...a: unknown[]) => unknown).call(cls, props, props, props));
      if (w) problems.push(`.${method}(${JSON.stringify(props)} ×3): ${w}`);
    }
  }
  expect(problems).toEqual([]);
});
