import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { markEphemeral } from './terraform-raw';

/**
 * Declares a Terraform input variable for a secret: `sensitive` (redacted in output) and
 * `ephemeral` (Terraform >= 1.10 keeps it out of plan files and state; it can only feed
 * write-only arguments such as a helm release's `set_wo`). The value comes from the user at apply
 * time (`TF_VAR_<name>`, a `-var-file` kept out of git, or a secret manager), never from our output.
 */
export function secretVariable(scope: Construct, name: string, description: string): TerraformVariable {
  const variable = new TerraformVariable(scope, name, { type: 'string', description, sensitive: true, nullable: false });
  markEphemeral(variable);
  return variable;
}
