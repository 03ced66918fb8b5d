// Test glue: the native Polaris checks now ship with the engine (lib/validation/polaris-native.ts).
export {
  attachedPdbs,
  containerHardened,
  hasNetworkPolicy,
  hasPodDisruptionBudget,
  hasReplicas,
  hpaCanScale,
  pdbFitsHpa,
  serviceAccountTokenNotMounted,
  selectorMatches,
} from '../../lib/validation/polaris-native';
