import { createHash } from 'crypto';
import { fail } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Longest object name for most kinds (DNS-1123 label). */
export const MAX_LABEL_NAME = 63;
/**
 * StatefulSet names are limited to 52 characters: the controller adds a
 * `controller-revision-hash` label `<name>-<10 char hash>` that must stay within 63.
 */
export const MAX_STATEFULSET_NAME = 52;

/** Checks a DNS-1123 label (Service, Namespace, container and most object names). */
export function checkDnsLabel(path: string, field: string, value: string, maxLength = MAX_LABEL_NAME): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !DNS_LABEL.test(value)) {
    fail(
      path,
      field,
      value,
      `must be a DNS-1123 label: 1-${maxLength} characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/** Whether `value` is a DNS-1123 subdomain of at most `maxLength` characters. */
export function isDnsSubdomain(value: unknown, maxLength = 253): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength && DNS_SUBDOMAIN.test(value);
}

/** Checks a DNS-1123 subdomain (ConfigMap, Secret, host names). */
export function checkDnsSubdomain(path: string, field: string, value: string, maxLength = 253): string {
  if (!isDnsSubdomain(value, maxLength)) {
    fail(
      path,
      field,
      value,
      `must be a DNS-1123 subdomain: at most ${maxLength} characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit`,
    );
  }
  return value;
}

/** Whether a string is a valid IANA_SVC_NAME (named port): at most 15 characters, a letter among them. */
export function isPortName(value: string): boolean {
  // typeof first: RegExp.test(undefined) tests the string "undefined", which matches.
  return typeof value === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) && value.length <= 15 && /[a-z]/.test(value) && !value.includes('--');
}

export function checkPortName(path: string, field: string, value: string): string {
  if (!isPortName(value)) {
    fail(path, field, value, "must be an IANA service name: 1-15 lower-case letters, digits and single '-', at least one letter");
  }
  return value;
}

/** Checks a port number (container, Service or probe port). */
export function checkPortNumber(path: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) fail(path, field, value, 'must be a port number 1-65535');
  return value;
}

/**
 * Readable, deterministic default name for a construct: its id, lower-cased, with characters
 * outside DNS-1123 replaced by '-'. No hash suffix: names are public contract.
 */
export function defaultName(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-');
}

/** Environment variable names as Kubernetes accepts them (C identifier, plus '-' and '.'). */
export function checkEnvName(path: string, field: string, value: string): string {
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(value)) {
    fail(path, field, value, "must consist of letters, digits, '_', '-' or '.', and not start with a digit");
  }
  return value;
}

/**
 * Cuts a generated name to `max` characters and drops the dashes the cut left at its end, so it
 * stays a valid DNS-1123 label. Two long names may cut to the same one: the registry reports that.
 */
export function truncateName(name: string, max = MAX_LABEL_NAME): string {
  return name.slice(0, max).replace(/-+$/, '');
}

/**
 * The one naming scheme for names we derive from others (`<app>-from-ingress-nginx`,
 * `<store>-from-<app>`, `<app>-to-<store>`, policy, monitor and volume names): a name that fits
 * in `max` characters is used as it is, readable; a longer one is cut to `max - 9` characters,
 * trailing '-' and '.' dropped, and ends in '-' plus the first 8 hex digits of the SHA-256 of the
 * whole uncut name. Two different long names so never cut to the same name, and a derived name
 * never cuts back to its source (the app's own NetworkPolicy `<app>` and the route's
 * `<app>-from-ingress-nginx` stay distinct even for a 63-character app name).
 * See docs/webapp.md, "Names".
 */
export function fitName(name: string, max = MAX_LABEL_NAME): string {
  if (name.length <= max) return name;
  return `${name.slice(0, max - 9).replace(/[-.]+$/, '')}-${shortHash(name)}`;
}

/** The naming scheme's suffix: the first 8 hex digits of the SHA-256 of `text`. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
