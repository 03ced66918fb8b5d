import { JobSpecProps } from './job-spec';
import { PodWorkloadProps } from './pod-template';

/**
 * A run-to-completion task (batch/v1 Job): the pod props every workload takes (image, env,
 * resources, security, network…) and the Job's own fields.
 */
export interface BatchJobProps extends PodWorkloadProps, JobSpecProps {}
