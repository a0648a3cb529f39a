// PasswordDigest primitive (ssp-profile.md §4) against the RFC 1321 §A.5 test suite.
import { strict as assert } from 'node:assert';
import { md5Digest } from '../../src/ssp';

describe('md5Digest', () => {
  const vectors: Array<[string, string]> = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
  ];
  for (const [token, hex] of vectors) {
    it(`digests "${token}" as RFC 1321 says`, () => assert.equal(md5Digest(token).toString('hex'), hex));
  }

  it('digests the UTF-8 bytes of the token, not Latin-1', () => {
    // Reference values from Python hashlib: md5('tøken'.encode('utf-8')) and .encode('latin-1').
    assert.equal(md5Digest('tøken').toString('hex'), '965ed273eab0325eda19c15a5d84a378');
    assert.notEqual(md5Digest('tøken').toString('hex'), '027e71c4fa04ca67f1525cd4246702a1');
  });
});
