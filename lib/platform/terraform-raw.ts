import { TerraformStack, TerraformVariable } from 'cdktf';

/**
 * Every raw Terraform JSON override of the platform's stacks lives in this file: cdktf 0.21 has
 * no typed support for what Terraform 1.10/1.11 added (ephemeral variables and resources,
 * `required_version`), so these few escape hatches write the JSON Terraform reads directly.
 * When cdktf (or the cdktn fork) gains typed support, this is the one file to replace.
 */

/**
 * What our stacks need from Terraform: ephemeral input variables and ephemeral resources (1.10)
 * and write-only arguments such as `set_wo` and `data_wo` (1.11). An older Terraform would
 * reject the JSON with a less helpful message, or (before 1.11) ignore nothing but fail on apply.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.0';

/**
 * hashicorp/random, pinned: its ephemeral `random_password` (added in 3.7.0) gives a value that
 * lives for one run only, so it can feed a write-only argument and never reaches plan or state.
 */
export const RANDOM_PROVIDER = { source: 'hashicorp/random', version: '3.7.2' } as const;

/** Sets `terraform.required_version` of the stack. */
export function requireTerraform(stack: TerraformStack, constraint: string = REQUIRED_TERRAFORM_VERSION): void {
  stack.addOverride('terraform.required_version', constraint);
}

/** Marks a variable `ephemeral`: Terraform keeps its value out of plan files and state. */
export function markEphemeral(variable: TerraformVariable): void {
  variable.addOverride('ephemeral', true);
}

/** Options of an ephemeral random password. */
export interface EphemeralPasswordOptions {
  /** Characters. */
  readonly length: number;
}

/**
 * Declares `ephemeral "random_password" "<name>"` (alphanumeric only: the values end up in
 * connection strings, shell scripts and config files where quoting differs) and returns the
 * expression of its `result`. A fresh value is drawn on every plan and apply; whoever uses it
 * must decide with a revision when it is actually written.
 */
export function ephemeralRandomPassword(stack: TerraformStack, name: string, opts: EphemeralPasswordOptions): string {
  stack.addOverride('terraform.required_providers.random', { ...RANDOM_PROVIDER });
  stack.addOverride(`ephemeral.random_password.${name}`, { length: opts.length, special: false, min_lower: 1, min_upper: 1, min_numeric: 1 });
  return `\${ephemeral.random_password.${name}.result}`;
}
