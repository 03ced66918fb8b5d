export * from './alert-rules';
export * from './dashboard';
export * from './monitoring-stack';
export { isMetricName, podNamePattern, prometheusDuration } from './promql';
