/**
 * Runtime shapes of the BatchJob, ScheduledJob and backup props: the boundary that holds for plain
 * JavaScript (types, and unknown keys named with the nearest known one). Shapes check types only;
 * values (ranges, the API server's rules, feature gates) are checked by PodTemplate and
 * resolveJobSpec with their own messages, so a value problem is reported with every other one.
 * `podWorkloadShapeFields` is the part every PodTemplate workload shares (NodeAgent composes it).
 */
import { Construct } from 'constructs';
import { ProblemCollector } from '../core/errors';
import { resourcesShape } from '../core/resources-shape';
import { collectShape, S, ShapeMatches } from '../core/shape';
import { NetworkPeer } from '../networking/network-peer';
import { BatchJobProps } from './batch-job-props';
import { JobSpecProps, PodFailureCondition, PodFailureExitCodes, PodFailureRule } from './job-spec';
import { PodEgressRule, PodIngressRule, PodNetworkProps, PodWorkloadProps } from './pod-template';
import { ScheduledJobProps } from './scheduled-job-props';
import { StoreBackupOptions } from './store-backup';
import { IVolumeClaim } from './types';
import { EnvFrom } from './web-app-props';
import { configFilesShape, envShape, securityShape } from './web-app-shape';

/** A string union whose value the construct checks with its own message: here only "a string". */
const text = <T extends string>(): ReturnType<typeof S.custom<T>> => S.custom<T>('a string', (v) => typeof v === 'string');
const peerShape = S.instance(NetworkPeer, 'a NetworkPeer: NetworkPeer.workload(), .namespace(), .pods() or .cidr()');
const networkPortShape = S.object('NetworkPort', {
  port: S.union(S.number(), S.string()),
  protocol: S.optional(text<'TCP' | 'UDP' | 'SCTP'>()),
});

export const podIngressRuleShape = S.object('PodIngressRule', { from: peerShape, ports: S.optional(S.array(networkPortShape)) });
export const podEgressRuleShape = S.object('PodEgressRule', { to: peerShape, ports: S.optional(S.array(networkPortShape)) });
export const podNetworkShape = S.object('PodNetworkProps', {
  enabled: S.optional(S.boolean()),
  allowFrom: S.optional(S.array(podIngressRuleShape)),
  allowEgress: S.optional(S.array(podEgressRuleShape)),
  allowAllEgress: S.optional(S.boolean()),
});

/** The fields of {@link PodWorkloadProps}, to spread into a construct's props shape. */
export const podWorkloadShapeFields = {
  image: S.string(),
  name: S.optional(S.string()),
  appName: S.optional(S.string()),
  component: S.optional(S.string()),
  partOf: S.optional(S.string()),
  command: S.optional(S.array(S.string())),
  args: S.optional(S.array(S.string())),
  env: S.optional(envShape),
  envFrom: S.optional(S.array(S.instance(EnvFrom, 'an EnvFrom: EnvFrom.configMap() or EnvFrom.secret()'))),
  configFiles: S.optional(S.array(configFilesShape)),
  resources: S.optional(resourcesShape),
  security: S.optional(securityShape),
  writablePaths: S.optional(S.array(S.string())),
  imagePullSecrets: S.optional(S.array(S.string())),
  imagePullPolicy: S.optional(text<'Always' | 'IfNotPresent'>()),
  serviceAccountName: S.optional(S.string()),
  network: S.optional(podNetworkShape),
};
export const podWorkloadShape = S.object('PodWorkloadProps', podWorkloadShapeFields);

export const exitCodesShape = S.object('PodFailureExitCodes', {
  containerName: S.optional(S.string()),
  operator: text<'In' | 'NotIn'>(),
  values: S.array(S.number()),
});
export const podConditionShape = S.object('PodFailureCondition', { type: S.string(), status: S.optional(text<'True' | 'False' | 'Unknown'>()) });
export const podFailureRuleShape = S.object('PodFailureRule', {
  action: text<'FailJob' | 'Ignore' | 'Count' | 'FailIndex'>(),
  onExitCodes: S.optional(exitCodesShape),
  onPodConditions: S.optional(S.array(podConditionShape)),
});

const jobSpecShapeFields = {
  completions: S.optional(S.number()),
  parallelism: S.optional(S.number()),
  backoffLimit: S.optional(S.number()),
  activeDeadlineSeconds: S.optional(S.number()),
  ttlSecondsAfterFinished: S.optional(S.number()),
  restartPolicy: S.optional(text<'OnFailure' | 'Never'>()),
  completionMode: S.optional(text<'NonIndexed' | 'Indexed'>()),
  podFailurePolicy: S.optional(S.object('PodFailurePolicy', { rules: S.array(podFailureRuleShape) })),
  backoffLimitPerIndex: S.optional(S.number()),
  maxFailedIndexes: S.optional(S.number()),
  podReplacementPolicy: S.optional(text<'TerminatingOrFailed' | 'Failed'>()),
  kubernetesVersion: S.optional(S.string()),
};
export const jobSpecShape = S.object('JobSpecProps', jobSpecShapeFields);

export const batchJobPropsShape = S.object('BatchJobProps', { ...podWorkloadShapeFields, ...jobSpecShapeFields });

export const scheduledJobPropsShape = S.object('ScheduledJobProps', {
  ...podWorkloadShapeFields,
  ...jobSpecShapeFields,
  schedule: S.string(),
  timeZone: S.optional(S.string()),
  concurrencyPolicy: S.optional(text<'Forbid' | 'Replace' | 'Allow'>()),
  maxConcurrentRuns: S.optional(S.number()),
  startingDeadlineSeconds: S.optional(S.number()),
  successfulJobsHistoryLimit: S.optional(S.number()),
  failedJobsHistoryLimit: S.optional(S.number()),
  suspend: S.optional(S.boolean()),
});

const claimShape = S.handle<IVolumeClaim>('a claim handle (NfsStorage.claim(), VolumeClaim.fromClaimName())', {
  claimName: 'string',
  readWriteMany: 'boolean',
});
export const storeBackupOptionsShape = S.object('StoreBackupOptions', {
  schedule: S.string(),
  to: claimShape,
  retain: S.optional(S.number()),
  timeZone: S.optional(S.string()),
  name: S.optional(S.string()),
  activeDeadlineSeconds: S.optional(S.number()),
  resources: S.optional(resourcesShape),
});

// Compile-time ties between each shape and its documented interface.
const matches: [
  ShapeMatches<typeof podWorkloadShape, PodWorkloadProps>,
  ShapeMatches<typeof podNetworkShape, PodNetworkProps>,
  ShapeMatches<typeof podIngressRuleShape, PodIngressRule>,
  ShapeMatches<typeof podEgressRuleShape, PodEgressRule>,
  ShapeMatches<typeof exitCodesShape, PodFailureExitCodes>,
  ShapeMatches<typeof podConditionShape, PodFailureCondition>,
  ShapeMatches<typeof podFailureRuleShape, PodFailureRule>,
  ShapeMatches<typeof jobSpecShape, JobSpecProps>,
  ShapeMatches<typeof batchJobPropsShape, BatchJobProps>,
  ShapeMatches<typeof scheduledJobPropsShape, ScheduledJobProps>,
  ShapeMatches<typeof storeBackupOptionsShape, StoreBackupOptions>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void matches;

/** Throws one PaasValidationError with every type problem of `props` (under `field`), if any. */
export function checkPropsShape(scope: Construct, props: unknown, shape: Parameters<typeof collectShape>[3], field = ''): void {
  const path = ProblemCollector.pathOf(scope);
  const problems = new ProblemCollector(path);
  if (!collectShape(problems, path, props, shape, field)) problems.throwIfAny();
}
