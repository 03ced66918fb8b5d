/**
 * What every stack of the platform sets up the same way: its state backend and the two cluster
 * variables (kubeconfig path and context) the kubernetes and helm providers read. One place, so
 * the platform stack and the credentials stack cannot drift apart on where state or the cluster is.
 */
import * as path from 'path';
import { LocalBackend, TerraformBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { ProblemCollector } from '../core/errors';

/** The backend and cluster variables of a stack. */
export interface StackSetup {
  readonly backend: TerraformBackend;
  readonly kubeconfigPath: TerraformVariable;
  readonly kubeContext: TerraformVariable;
  /** Provider arguments selecting the cluster. */
  readonly cluster: { readonly configPath: string; readonly configContext: string };
}

/** The backend choice of a stack's props. */
export interface StackBackendProps {
  readonly backend?: (stack: TerraformStack) => TerraformBackend;
  readonly statePath?: string;
}

/**
 * Creates the backend (`props.backend`, else a local backend at `props.statePath`, default
 * `../../../terraform.<id>.tfstate`: the checkout root, next to cdktf.out) and the
 * `kubeconfig_path` / `kube_context` variables. `providers` names the providers that read them,
 * for the variable's description.
 */
export function setUpStack(stack: TerraformStack, id: string, props: StackBackendProps, problems: ProblemCollector, providers: string): StackSetup {
  let backend: TerraformBackend;
  if (props.backend) {
    backend = props.backend(stack);
  } else {
    const statePath = props.statePath ?? `../../../terraform.${id}.tfstate`;
    if (path.isAbsolute(statePath)) {
      problems.add('statePath', statePath, 'must be relative to cdktf.out/stacks/<stack>/ so the output does not depend on the checkout location');
    }
    backend = new LocalBackend(stack, { path: statePath });
  }
  const kubeconfigPath = new TerraformVariable(stack, 'kubeconfig_path', {
    type: 'string',
    description: `Path of the kubeconfig file used by the ${providers}`,
    default: '~/.kube/config',
    nullable: false,
  });
  const kubeContext = new TerraformVariable(stack, 'kube_context', {
    type: 'string',
    description: 'Context in the kubeconfig; null uses its current context',
    nullable: true,
  });
  kubeContext.addOverride('default', null);
  return { backend, kubeconfigPath, kubeContext, cluster: { configPath: kubeconfigPath.stringValue, configContext: kubeContext.stringValue } };
}
