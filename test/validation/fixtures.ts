// Shared by the report and SARIF tests: one file with a Deployment (a literal secret env value, an
// exempted host port) and a document that is not an object, checked by a fake family.
import * as fs from 'fs';
import * as path from 'path';
import { CheckFamily } from '../../lib/validation/types';
import { validate, ValidationResult } from '../../lib/validation/validate';

const family: CheckFamily = function fake(ctx) {
  return ctx.objects.flatMap((o, objectIndex) =>
    o.manifest.kind === 'Deployment'
      ? [
          {
            id: 'polaris/sensitiveContainerEnvVar',
            severity: 'error' as const,
            objectIndex,
            path: 'spec.template.spec.containers[0].env[0].value',
            message: 'DB_PASSWORD is a literal value: read it from a Secret',
          },
          { id: 'polaris/hostPortSet', severity: 'warning' as const, objectIndex, path: '', message: 'host port set' },
        ]
      : [],
  );
};

/** Writes app.yaml into `dir` and validates it. */
export function sampleResult(dir: string): ValidationResult {
  fs.writeFileSync(
    path.join(dir, 'app.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  namespace: shop',
      '  annotations:',
      '    polaris.fairwinds.com/hostPortSet-exempt: "true"',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: main',
      '          env:',
      '            - name: DB_PASSWORD',
      '              value: hunter2',
      '---',
      'just text',
      '',
    ].join('\n'),
  );
  return validate([path.join(dir, 'app.yaml')], { families: [family], config: { createdOutside: [] } });
}

/** A namespaced CustomResourceDefinition `widgets.example.com` (kind Widget) with one served version v1 of the given schema. */
export function widgetCrd(openAPIV3Schema: Record<string, unknown>): Record<string, any> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }],
    },
  };
}
