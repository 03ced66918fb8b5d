import { k8s } from 'cdk8s-plus-28';

/** Label the API server sets on every Namespace (1.21+): the one stable way to select a namespace by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Selects a namespace by its name. */
export function namespaceSelector(name: string): k8s.LabelSelector {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: name } };
}

/**
 * Egress to the cluster DNS on 53, UDP and TCP: CoreDNS pods in kube-system keep the
 * `k8s-app: kube-dns` label of kube-dns (kubeadm clusters such as the seeds').
 */
export function dnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: namespaceSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [
      { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
      { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
    ],
  };
}

/** A parsed CIDR: the address bytes (4 or 16) and the prefix length. */
export interface ParsedCidr {
  readonly bytes: readonly number[];
  readonly prefix: number;
}

const DECIMAL_RE = /^\d+$/;

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // The API server's sloppy parser reads "010" as decimal 10; we refuse it (see ipBlockProblem).
    if (!DECIMAL_RE.test(p) || (p.length > 1 && p.startsWith('0')) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

function parseIPv6(text: string): number[] | undefined {
  if (text.includes('%')) return undefined; // zones are not part of a CIDR
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (const [i, p] of parts.entries()) {
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/**
 * Parses a CIDR as the API server's NetworkPolicy validation does (1.28:
 * `ValidateNetworkPolicy` → `ValidateIPBlock` → `apivalidation.ValidateCIDR`, i.e.
 * `netutils.ParseCIDRSloppy`): an IPv4 or IPv6 address, `/`, a prefix length up to 32 or 128;
 * host bits may be set (`10.0.0.1/8` is accepted and means 10.0.0.0/8); IPv4-in-IPv6 tails such
 * as `::ffff:10.0.0.0/104` are accepted. One deliberate difference: IPv4 octets with leading zeros
 * (`010.0.0.0/8`), which the sloppy parser reads as decimal, are refused, as Node's `net` and
 * Go 1.17+ `net.ParseCIDR` (used by CNI plugins) refuse them: `010` reads as octal 8 elsewhere.
 */
export function parseCidr(text: unknown): ParsedCidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const mask = text.slice(slash + 1);
  if (!DECIMAL_RE.test(mask) || (mask.length > 1 && mask.startsWith('0'))) return undefined;
  const bytes = addr.includes(':') ? parseIPv6(addr) : parseIPv4(addr);
  if (!bytes) return undefined;
  const prefix = Number(mask);
  if (prefix > bytes.length * 8) return undefined;
  return { bytes, prefix };
}

function contains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.bytes.length !== inner.bytes.length) return false;
  for (let bit = 0; bit < outer.prefix; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((outer.bytes[bit >> 3] & mask) !== (inner.bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

/** What is wrong with a CIDR, in words, or undefined. */
export function cidrProblem(text: unknown): string | undefined {
  if (parseCidr(text) !== undefined) return undefined;
  if (typeof text === 'string' && /(^|[./])0\d/.test(text.split('/')[0]) && !text.includes(':')) {
    return 'must be an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fd00::/8", without leading zeros in IPv4 octets (read as decimal by the API server, as octal by other tools)';
  }
  return 'must be an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fd00::/8"';
}

/**
 * The problems of an `ipBlock` as `ValidateIPBlock` reports them: each CIDR must parse, and each
 * `except` must be a strict subset of `cidr` (same family, inside it, a longer prefix).
 */
export function ipBlockProblems(cidr: unknown, except: readonly unknown[]): { field: string; value: unknown; expected: string }[] {
  const out: { field: string; value: unknown; expected: string }[] = [];
  const why = cidrProblem(cidr);
  if (why) out.push({ field: 'cidr', value: cidr, expected: why });
  const outer = parseCidr(cidr);
  for (const [i, e] of except.entries()) {
    const field = `except[${i}]`;
    const inner = parseCidr(e);
    if (!inner) out.push({ field, value: e, expected: cidrProblem(e)! });
    else if (outer && (!contains(outer, inner) || inner.prefix <= outer.prefix)) {
      out.push({ field, value: e, expected: `must be a strict subset of the cidr ${JSON.stringify(cidr)} (the API server refuses it otherwise)` });
    }
  }
  return out;
}
