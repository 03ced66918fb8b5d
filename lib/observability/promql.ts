import { Duration } from 'cdk8s';
import { fail } from '../core/errors';
import { IWorkload } from '../workloads/types';

/**
 * Small, pure helpers for writing PromQL and Prometheus fields: durations in Prometheus syntax,
 * quoted label matchers and the pod-name patterns of our controllers.
 */

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether a string is a valid Prometheus metric name. */
export function isMetricName(value: string): boolean {
  return typeof value === 'string' && METRIC_NAME.test(value);
}

/** Whether a string is a valid Prometheus label name (names starting with `__` are reserved). */
export function isLabelName(value: string): boolean {
  return typeof value === 'string' && LABEL_NAME.test(value) && !value.startsWith('__');
}

export function checkMetricName(path: string, field: string, value: string): string {
  if (!isMetricName(value)) {
    fail(path, field, value, "must be a Prometheus metric name: letters, digits, '_' and ':', not starting with a digit");
  }
  return value;
}

/**
 * A cdk8s Duration in Prometheus syntax (`1h30m`, `15s`, `500ms`), as the monitoring CRDs' duration
 * fields require. Throws for zero, negative and sub-millisecond durations.
 */
export function prometheusDuration(path: string, field: string, duration: Duration): string {
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms <= 0) {
    fail(path, field, `${ms} ms`, 'must be a positive whole number of milliseconds');
  }
  const units: [string, number][] = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** A label value as a PromQL string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Escapes regular-expression metacharacters, for names used inside `=~` patterns. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Pod names of a workload as a (fully anchored, as PromQL matches are) regular expression:
 * Deployment pods are `<name>-<pod-template-hash>-<5 chars>`, StatefulSet pods `<name>-<ordinal>`,
 * DaemonSet pods `<name>-<5 chars>`, Job pods `<job>-<5 chars>` (`<job>-<index>-<5 chars>` when
 * Indexed), and a CronJob's Jobs are `<cronjob>-<scheduled time in minutes>`.
 * The exact shape keeps `<name>-other` workloads' pods out.
 */
export function podNamePattern(workload: Pick<IWorkload, 'name' | 'kind'>): string {
  const name = escapeRegex(workload.name);
  switch (workload.kind) {
    case 'StatefulSet':
      return `${name}-[0-9]+`;
    case 'DaemonSet':
      return `${name}-[a-z0-9]{5}`;
    case 'Job':
      return `${name}-([0-9]+-)?[a-z0-9]{5}`;
    case 'CronJob':
      return `${cronJobJobPattern(workload.name)}-([0-9]+-)?[a-z0-9]{5}`;
    default:
      return `${name}-[a-z0-9]+-[a-z0-9]{5}`;
  }
}

/** Names of the Jobs a CronJob creates: `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function cronJobJobPattern(cronJobName: string): string {
  return `${escapeRegex(cronJobName)}-[0-9]+`;
}

/**
 * Claims of a StatefulSet's volumeClaimTemplates are `<template>-<statefulset>-<ordinal>`.
 */
export function claimNamePattern(statefulSetName: string): string {
  return `[a-z0-9]([-a-z0-9]*[a-z0-9])?-${escapeRegex(statefulSetName)}-[0-9]+`;
}

/** One PromQL label matcher: label, operator, value. */
export type Matcher = readonly [string, '=' | '=~' | '!=', string];

/** A label matcher list such as `{namespace="shop", pod=~"web-.*"}`; matchers sorted as given. */
export function selector(matchers: readonly Matcher[]): string {
  return `{${matchers.map(([k, op, v]) => `${k}${op}${quote(v)}`).join(', ')}}`;
}

/** The facts default alert rules and dashboards need about a workload. */
export interface WorkloadTarget extends Pick<IWorkload, 'name' | 'kind'> {
  readonly namespace: string;
  /** HorizontalPodAutoscaler name, for the autoscaler rule and panel. */
  readonly autoscalerName?: string;
  /** A CronJob's schedule, for the window of the "no successful run" rule. */
  readonly schedule?: string;
  /** A CronJob's time zone; outside UTC a daylight-saving change lengthens one period by an hour. */
  readonly timeZone?: string;
  /** A Job's (or CronJob's Jobs') `ttlSecondsAfterFinished`: a failed Job must outlive the alert on it. */
  readonly ttlSecondsAfterFinished?: number;
}

/** Matchers for a workload's pods in cAdvisor and kube-state-metrics series: its namespace and pod-name pattern. */
export function podMatchers(t: WorkloadTarget): Matcher[] {
  return [
    ['namespace', '=', t.namespace],
    ['pod', '=~', podNamePattern(t)],
  ];
}

/**
 * Selector of the kube-state-metrics series about one object, which carry its namespace and a
 * label named after its kind: `{namespace="shop", deployment="web"}`.
 */
export function objectSelector(namespace: string, kindLabel: string, name: string): string {
  return selector([
    ['namespace', '=', namespace],
    [kindLabel, '=', name],
  ]);
}
