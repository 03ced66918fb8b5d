import { fail } from './errors';

const REFERENCE =
  /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/**
 * Checks an image reference: a tag other than `latest`, or a digest, is required so that what
 * runs is what was reviewed (Polaris `tagNotSpecified`).
 */
export function checkImage(path: string, field: string, image: string): string {
  const m = typeof image === 'string' ? REFERENCE.exec(image) : null;
  if (!m) {
    fail(path, field, image, 'must be an image reference such as "nginx:1.27.3" or "registry.example.com/team/app@sha256:<64 hex>"');
  }
  const tag = m[1];
  const digest = m[2];
  if (!tag && !digest) {
    fail(path, field, image, 'must name a tag or a digest: an untagged image means ":latest", which changes under you (e.g. "nginx:1.27.3")');
  }
  if (tag === 'latest' && !digest) {
    fail(path, field, image, 'must not use the ":latest" tag: pin a version tag or a digest (e.g. "nginx:1.27.3")');
  }
  return image;
}

/** Registry host of an image, or undefined for Docker Hub short names. */
export function imageRegistry(image: string): string | undefined {
  const first = image.split('/')[0];
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first;
  return undefined;
}
