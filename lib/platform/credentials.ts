import { Fn, TerraformBackend, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { fail, ProblemCollector } from '../core/errors';
import { setUpStack } from './stack-setup';
import { backendShape, platformSpecHandle } from './stack-shapes';
import { assertArgs, S, ShapeFits } from '../core/shape';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain } from '../core/names';
import type { PlatformSpec } from '../platform-spec';
import { TenantNamespace } from '../tenancy/tenant-namespace';
import { StatefulStore } from '../workloads/stateful-store';
import type { StoreCredentials } from '../workloads/store-engines';
import { StoreEngine } from '../workloads/store-engines';
import { secretVariable } from './secret-variable';
import { ephemeralRandomPassword, requireTerraform } from './terraform-raw';

/**
 * Where one key of a generated Secret gets its value. Nothing here is ever a secret literal: a
 * secret is drawn at apply time (`random`) or read from an ephemeral input (`variable`); `plain`
 * is for what is not secret (a user or database name).
 */
export class CredentialValue {
  /** A fresh alphanumeric password drawn by Terraform (ephemeral `random_password`). */
  public static random(length = 32): CredentialValue {
    return new CredentialValue('random', String(length));
  }

  /** A value that is not secret, such as a user or database name; it is visible in `cdktf.out/`. */
  public static plain(value: string): CredentialValue {
    return new CredentialValue('plain', value);
  }

  private constructor(
    /** `random` or `plain`. */
    public readonly source: 'random' | 'plain',
    /** The length (random) or the value (plain). */
    public readonly detail: string,
  ) {}
}

/** A Secret the credentials stack creates in a tenant namespace. */
export interface GeneratedSecret {
  /** Namespace (it must exist: the tenant's `*-admin` file creates it). */
  readonly namespace: string;
  /** Secret name, as the constructs reference it. */
  readonly name: string;
  /** Opaque keys and where their values come from. @default - none (give `dockerConfigFor` instead) */
  readonly data?: Readonly<Record<string, CredentialValue>>;
  /**
   * A `kubernetes.io/dockerconfigjson` pull secret for this registry host instead of `data`,
   * from the stack's `registry_pull_username` and `registry_pull_password` variables.
   * @default - an Opaque Secret from `data`
   */
  readonly dockerConfigFor?: string;
  /**
   * Refuse `terraform destroy` of the Secret (`lifecycle.prevent_destroy`): for store
   * credentials it holds the only copy of a password the database was initialised with.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** What a store's credentials Secret holds besides the passwords. */
export interface StoreSecretOptions {
  /** Namespace of the store. */
  readonly namespace: string;
  /** The same credentials object the StatefulStore takes (secret name and key names). */
  readonly credentials: StoreCredentials;
  /** Application user name (MariaDB, PostgreSQL). @default 'app' */
  readonly user?: string;
  /** Database created at first start (MariaDB, PostgreSQL). @default 'app' */
  readonly database?: string;
  /** Length of the generated passwords. @default 32 (about 190 bits) */
  readonly passwordLength?: number;
}

/**
 * The Secret a StatefulStore with `engine` and `credentials` reads: its key names come from the
 * engine's own defaults (`StoreEngine.resolveCredentials`), so they are the keys the store's pods
 * reference; every password key gets a random value, user and database names plain values.
 */
export function storeSecret(engine: StoreEngine, opts: StoreSecretOptions): GeneratedSecret {
  const keys = engine.resolveCredentials(opts.credentials ?? ({} as StoreCredentials));
  const length = opts.passwordLength ?? 32;
  const data: Record<string, CredentialValue> = {};
  if (keys.passwordKey) data[keys.passwordKey] = CredentialValue.random(length);
  if (keys.rootPasswordKey) data[keys.rootPasswordKey] = CredentialValue.random(length);
  if (keys.userKey) data[keys.userKey] = CredentialValue.plain(opts.user ?? 'app');
  if (keys.databaseKey) data[keys.databaseKey] = CredentialValue.plain(opts.database ?? 'app');
  return { namespace: opts.namespace, name: keys.secretName, data, preventDestroy: true };
}

/** The platform's registry pull secret (`registry.pullSecretName`) in `namespace`. */
export function registryPullSecret(platform: PlatformSpec, namespace: string): GeneratedSecret {
  if (!platform.registry) fail('registryPullSecret', 'platform.registry', undefined, `must be set: platform "${platform.name}" has no registry to pull from`);
  return { namespace, name: platform.registry.pullSecretName, dockerConfigFor: platform.registry.host, preventDestroy: false };
}

/** Names a store's credentials Secret holds besides its passwords, per `<namespace>/<secret>`. */
export interface TenantCredentialsOptions {
  /** User and database names per Secret. @default - 'app' for both */
  readonly names?: Readonly<Record<string, { readonly user?: string; readonly database?: string }>>;
}

/**
 * Every Secret the tenants of `platform` below `root` (a cdk8s App) need from the credentials
 * stack, derived from the constructs themselves so no name is typed twice: each StatefulStore's
 * credentials Secret (its own key names) in a TenantNamespace on this platform, and the registry
 * pull secret in each such namespace whose ServiceAccounts pull with it. Sorted by namespace, then name.
 */
export function tenantCredentials(root: IConstruct, platform: PlatformSpec, options: TenantCredentialsOptions = {}): GeneratedSecret[] {
  const out: GeneratedSecret[] = [];
  // Not `instanceof`: cdk8s's Chart answers it for every chart (Symbol.hasInstance), the admin charts included.
  const isTenant = (c: IConstruct): c is TenantNamespace => Object.prototype.isPrototypeOf.call(TenantNamespace.prototype, c);
  const onPlatform = (c: IConstruct): TenantNamespace | undefined => {
    const tenant = c.node.scopes.find(isTenant);
    return tenant && tenant.platform.name === platform.name ? tenant : undefined;
  };
  for (const c of root.node.findAll()) {
    if (isTenant(c) && onPlatform(c) && c.pullSecretName && platform.registry) {
      out.push(registryPullSecret(platform, c.namespaceName));
    } else if (Object.prototype.isPrototypeOf.call(StatefulStore.prototype, c) && (c as StatefulStore).credentialsSecret && onPlatform(c)) {
      const store = c as StatefulStore;
      const namespace = store.namespace ?? onPlatform(c)!.namespaceName;
      const credentials = store.credentialsSecret!;
      const names = options.names?.[`${namespace}/${credentials.secretName}`] ?? {};
      out.push(storeSecret(store.engine, { namespace, credentials, ...names }));
    }
  }
  const key = (s: GeneratedSecret): string => `${s.namespace}/${s.name}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export interface CredentialsStackProps {
  /** The platform the tenants run on (kubeconfig variables and registry host come from it). */
  readonly platform: PlatformSpec;
  /** The Secrets to create. */
  readonly secrets: readonly GeneratedSecret[];
  /**
   * Local state file, relative to `cdktf.out/stacks/<id>/`. It holds the Secrets' names and
   * revisions, never their values (write-only `data_wo`).
   * @default '../../../terraform.<id>.tfstate'
   */
  readonly statePath?: string;
  /** Another backend, created in the stack's scope. @default - the local backend at `statePath` */
  readonly backend?: (stack: TerraformStack) => TerraformBackend;
}

const generatedSecretShape = S.object('GeneratedSecret', {
  // Names are the stack's own collected rules (with the Secret's index): types here.
  namespace: S.string(),
  name: S.string(),
  // An object here; its keys and CredentialValues are the constructor's own collected checks,
  // which never print a value (a plain string there may be a password).
  data: S.optional(
    S.custom<Readonly<Record<string, CredentialValue>>>(
      'an object of keys to CredentialValues',
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    ),
  ),
  dockerConfigFor: S.optional(S.string()),
  preventDestroy: S.optional(S.boolean()),
});

const credentialsStackPropsShape = S.object('CredentialsStackProps', {
  platform: platformSpecHandle,
  secrets: S.array(generatedSecretShape),
  statePath: S.optional(S.string()),
  backend: S.optional(backendShape),
});

// The interfaces take readonly lists and maps (so callers may pass frozen ones).
const matches: [ShapeFits<typeof credentialsStackPropsShape, CredentialsStackProps>, ShapeFits<typeof generatedSecretShape, GeneratedSecret>] = [true, true];
void matches;

/**
 * The tenants' credentials as their own Terraform stack, applied after the tenants' `*-admin`
 * files (which create the namespaces) and before the tenant files (whose pods read the Secrets).
 *
 * Each Secret is a `kubernetes_secret_v1` whose whole content is the write-only `data_wo`: the
 * provider sends it to the API server and Terraform keeps it out of the plan and the state.
 * Passwords come from ephemeral `random_password` resources, which draw a new value on every run;
 * `data_wo_revision` decides when one is written: on creation, and again only when the user raises
 * the Secret's entry in the `credential_revisions` variable (`{"<namespace>/<name>" = 2}`).
 * Nothing else ever rewrites a store password, which would lock the app out of a database
 * initialised with the old one.
 */
export class CredentialsStack extends TerraformStack {
  public readonly platform: PlatformSpec;
  public readonly backend: TerraformBackend;
  public readonly kubernetesProvider: KubernetesProvider;
  /** `kubeconfig_path` variable. */
  public readonly kubeconfigPath: TerraformVariable;
  /** `kube_context` variable (null: the kubeconfig's current context). */
  public readonly kubeContext: TerraformVariable;
  /** `credential_revisions` variable: raise an entry to write that Secret anew. */
  public readonly revisions: TerraformVariable;
  private readonly created: Array<{ spec: GeneratedSecret; resource: SecretV1 }> = [];
  private readonly variableNames: string[] = [];

  constructor(scope: Construct, id: string, props: CredentialsStackProps) {
    super(scope, id);
    // Plain JavaScript reaches here with anything: types and known keys first, every problem at once.
    assertArgs(this.node.path, [['props', props, credentialsStackPropsShape]]);
    this.platform = props.platform;
    const problems = new ProblemCollector(this.node.path);
    requireTerraform(this);
    const setup = setUpStack(this, id, props, problems, 'kubernetes provider');
    this.backend = setup.backend;
    this.kubeconfigPath = setup.kubeconfigPath;
    this.kubeContext = setup.kubeContext;
    this.revisions = new TerraformVariable(this, 'credential_revisions', {
      type: 'map(number)',
      description:
        'Revision per Secret ("<namespace>/<name>", default 1). Raise one to write a fresh value: for a store, change the password in the database first',
      default: {},
      nullable: false,
    });
    this.kubernetesProvider = new KubernetesProvider(this, 'kubernetes', setup.cluster);

    const secrets = Array.isArray(props.secrets) ? props.secrets : [];
    if (!Array.isArray(props.secrets)) problems.add('secrets', props.secrets, 'must be a list of Secrets to create');
    const seen = new Set<string>();
    let pull: { user: string; password: string } | undefined;
    secrets.forEach((s, i) => {
      const field = `secrets[${i}]`;
      const ns = problems.capture(() => checkDnsLabel(this.node.path, `${field}.namespace`, s?.namespace));
      const name = problems.capture(() => checkDnsSubdomain(this.node.path, `${field}.name`, s?.name));
      if (ns === undefined || name === undefined) return;
      const ref = `${ns}/${name}`;
      if (seen.has(ref)) {
        problems.add(`${field}.name`, ref, 'is already created by this stack: one Secret per namespace and name');
        return;
      }
      seen.add(ref);
      let data: Record<string, string>;
      let type: string;
      if (s.dockerConfigFor !== undefined) {
        if (!s.dockerConfigFor) {
          problems.add(`${field}.dockerConfigFor`, s.dockerConfigFor, 'must be the registry host (a platform without registry has no pull secret)');
          return;
        }
        pull ??= {
          user: this.variable('registry_pull_username', 'User name of the registry account (a Harbor robot account) tenants pull with'),
          password: this.variable('registry_pull_password', 'Secret of that registry account'),
        };
        data = { '.dockerconfigjson': dockerConfigJson(s.dockerConfigFor, pull.user, pull.password) };
        type = 'kubernetes.io/dockerconfigjson';
      } else {
        const entries = Object.entries(s.data ?? {});
        if (entries.length === 0) problems.add(`${field}.data`, s.data, 'must name at least one key');
        data = {};
        for (const [key, value] of entries) {
          if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
            problems.add(`${field}.data`, key, 'is not a valid Secret key: letters, digits, "-", "_" and "." only');
          } else if (!(value instanceof CredentialValue)) {
            problems.add(`${field}.data.${key}`, '<redacted>', 'must be CredentialValue.random() or CredentialValue.plain(value)');
          } else if (value.source === 'plain') {
            data[key] = value.detail;
          } else {
            data[key] = ephemeralRandomPassword(this, resourceName(ns, name, key), { length: Number(value.detail) });
          }
        }
        type = 'Opaque';
      }
      const resource = new SecretV1(this, `secret-${ns}-${name}`, {
        provider: this.kubernetesProvider,
        metadata: { name, namespace: ns, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        type,
        dataWo: data,
        dataWoRevision: Token.asNumber(Fn.lookup(this.revisions.value, ref, 1)),
        lifecycle: (s.preventDestroy ?? true) ? { preventDestroy: true } : undefined,
      });
      resource.overrideLogicalId(resourceName(ns, name));
      this.created.push({ spec: s, resource });
    });
    problems.throwIfAny();
  }

  /** `<namespace>/<name>` of every Secret this stack creates, in the order given. */
  public get secretRefs(): string[] {
    return this.created.map((c) => `${c.spec.namespace}/${c.spec.name}`);
  }

  /** Keys of the Secret `<namespace>/<name>`, sorted, or undefined if this stack does not create it. */
  public keysOf(namespace: string, name: string): string[] | undefined {
    const found = this.created.find((c) => c.spec.namespace === namespace && c.spec.name === name);
    if (!found) return undefined;
    return found.spec.dockerConfigFor !== undefined ? ['.dockerconfigjson'] : Object.keys(found.spec.data ?? {}).sort();
  }

  /** Names of the ephemeral variables the user supplies at apply time, sorted. */
  public get secretVariableNames(): string[] {
    return [...this.variableNames].sort();
  }

  private variable(name: string, description: string): string {
    this.variableNames.push(name);
    return secretVariable(this, name, description).stringValue;
  }
}

/** Terraform address part for a Secret (or one of its keys): lower case, `_` for anything else. */
function resourceName(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^a-zA-Z0-9]/g, '_').toLowerCase()).join('__');
}

/** `.dockerconfigjson` for one registry, as Terraform expressions over the (ephemeral) inputs. */
function dockerConfigJson(host: string, user: string, password: string): string {
  return Fn.jsonencode({
    auths: { [host]: { username: user, password, auth: Fn.base64encode(Fn.join(':', [user, password])) } },
  });
}
