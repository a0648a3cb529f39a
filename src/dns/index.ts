// The DNS layer: DnsClient implementations (network, zone files, cache), the factory and the embedded server.
export type { AnswerSource, DnsAnswer, DnsClient, DnsRecord, NaptrData, RecordData, RecordType, SoaData, SrvData, UnstoredQueries } from './dns-client';
export { CachingDnsClient, type CachingDnsClientDeps, type DnsCacheOptions } from './caching-dns-client';
export { createDnsClient, type ConfiguredDnsClient, type DnsClientDeps, type DnsClientOptions } from './create-dns-client';
export { parseServerAddress, type DnsServerAddress } from './dns-exchange';
export { InFlight, type Flight } from './in-flight';
export { EDNS_UDP_PAYLOAD_OCTETS, RECORD_TYPE_CODES, canonicalName } from './dns-wire';
export { EmbeddedDnsServer, type EmbeddedDnsServerOptions, type EmbeddedDnsSource } from './embedded-dns-server';
export { decodeNaptrRdata, encodeNaptrRdata } from './naptr-rdata';
export { NetworkDnsClient, type NetworkDnsClientDeps, type NetworkDnsClientOptions } from './network-dns-client';
export { DEFAULT_UDP_SOCKET_POOL, type UdpSocketPoolOptions } from './udp-socket-pool';
export { MAX_QUERIES_PER_SOCKET } from './pooled-udp-socket';
export { SplitDnsClient, type AuthoritativeDnsClient } from './split-dns-client';
export { ZoneDnsClient } from './zone-dns-client';
export { parseZoneFile, readZoneFile, readZoneFileSync, type ParsedZoneFile, type ParseZoneOptions, type ZoneFileRecord } from './zone-file';
