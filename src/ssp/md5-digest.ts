// Session set-up digest as deployed (ssp-profile.md §4): PasswordDigest = base64(MD5(UTF-8 secret token)).

import { createHash } from 'node:crypto';

/** MD5 of the UTF-8 token; the codec base64-encodes it as `<PasswordDigest encoding="base64">`. */
export function md5Digest(secretToken: string): Buffer {
  return createHash('md5').update(secretToken, 'utf8').digest();
}
