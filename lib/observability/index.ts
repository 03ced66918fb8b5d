export * from './alert-rules';
export * from './dashboard';
export * from './monitoring-stack';
export * from './monitorable';
export { isMetricName, podNamePattern, prometheusDuration } from './promql';
