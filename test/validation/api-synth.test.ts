import * as fs from 'fs';
import * as path from 'path';
import { checkOutput } from '../../scripts/synth';

/** `npm run synth`'s gate: the shipped engine over the temporary output, one cluster at a time. */
const root = path.resolve(__dirname, '..', '..');
let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(root, '.synth-gate-test-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const write = (p: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(work, p)), { recursive: true });
  fs.writeFileSync(path.join(work, p), text);
};
const claim = (ns: string, cls: string) =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: ${ns}\nspec:\n  storageClassName: ${cls}\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n`;
const stackWithClass = (cls: string) => JSON.stringify({ resource: { kubernetes_storage_class_v1: { c: { metadata: { name: cls } } } } });

test('each cluster is checked with its own stacks; errors name the files as they will be after the swap', () => {
  write('tmp-dist/one/a.k8s.yaml', claim('a', 'fast'));
  write('tmp-dist/two/b.k8s.yaml', claim('b', 'fast'));
  write('tmp-tf/stacks/one/cdk.tf.json', stackWithClass('fast'));
  write('tmp-tf/stacks/two-extra/cdk.tf.json', stackWithClass('slow'));
  const check = checkOutput(work, path.join(work, 'tmp-dist'), path.join(work, 'tmp-tf'));
  // Cluster "one" has its StorageClass from its stack; "two" does not (its stack makes another class).
  expect(check.errors).toBe(1);
  expect(check.errorReport).toBe(
    [
      'dist/two/b.k8s.yaml',
      '  PersistentVolumeClaim b/data',
      '    7:    error   references/storageclass  spec.storageClassName',
      '        StorageClass "fast" is referenced but not created by the input: create it, or declare it created outside (annotation paas.cdk8s.io/created-outside or createdOutside in paas-checks.yaml) with who creates it',
      '',
      '2 objects checked: 1 error, 0 warnings, 0 exempted, 0 prerequisites',
      '',
    ].join('\n'),
  );
});

test("the repository's paas-checks.yaml applies; clean output has no error", () => {
  write('tmp-dist/x.k8s.yaml', claim('a', 'fast'));
  write('paas-checks.yaml', 'createdOutside:\n  - kind: StorageClass\n    name: fast\n    reason: the cluster admin creates it\n');
  const check = checkOutput(work, path.join(work, 'tmp-dist'), path.join(work, 'no-cdktf'));
  expect(check).toEqual({ errors: 0, warnings: 0, exempted: 0, errorReport: '' });
});
