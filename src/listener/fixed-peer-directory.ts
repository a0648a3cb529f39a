// A directory that sends every domain to one URL: for the stand-in core (`sink`) and the `send` tool.
import { FORWARDABLE_TRANSACTIONS } from '../config';
import type { PeerDirectory, PeerEndpoint, PeerPolicy } from './peer-directory';

const ALL: ReadonlySet<string> = new Set(FORWARDABLE_TRANSACTIONS);

export class FixedPeerDirectory implements PeerDirectory {
  constructor(private url: string) {}

  /** The stand-in core learns its gateway's address only once the gateway has bound its port. */
  setUrl(url: string): void {
    this.url = url;
  }

  policyFor(domain: string): PeerPolicy {
    return { domain, label: 'other', isCore: false, allowFrom: [], presentUsersAs: 'msisdn', agreed: true, transactions: ALL };
  }

  async endpointsFor(): Promise<PeerEndpoint[]> {
    return [{ url: this.url }];
  }
}
