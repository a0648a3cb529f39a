// WV-SSP 1.3 typed message model (../shared/docs/ssp-profile.md §2–§6); element names keep the spec's spelling.

export type Mode = 'Request' | 'Response';

/** `<DetailedResult code>`: one failure among several, with the users it concerns (§6). */
export interface DetailedResult {
  code: number;
  description?: string;
  userIDs: string[];
}

/** `<Status>`: an IMPS result code (HTTP-like) with optional detail. */
export interface Status {
  code: number;
  description?: string;
  detailedResults?: DetailedResult[];
  tryAgainTimeoutSeconds?: number;
}

/** `<MetaInfo>`: who asked, on whose behalf. */
export interface MetaInfo {
  clientOriginated?: boolean;
  requestorServiceID?: string;
  requestorUserID?: string;
}

export type Recipient = { kind: 'user'; userID: string } | { kind: 'group'; groupID: string };

export interface MessageInfo {
  messageID: string;
  contentType?: string;
  contentSize?: number;
  validitySeconds?: number;
  recipients: Recipient[];
  senderUserID?: string;
  /** Kept verbatim: the deployed peer's clock is unreliable, never reason on it (§5). */
  dateTime?: string;
}

/** `<ContentData>` with its transfer encoding undone: `bytes` are the message content itself. */
export interface ContentData {
  contentType?: string;
  transferEncoding: 'base64' | 'none';
  bytes: Buffer;
}

/** A generic XML element, for presence attribute trees the gateway relays without interpreting. */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text?: string;
}

/** `<PresenceValue userID>` holding one PresenceSubList (namespace WV-PA1.2). */
export interface PresenceValue {
  userID: string;
  namespace?: string;
  attributes: XmlNode[];
}

// ---- set-up elements (carried in SetupTransaction, §4) ----

export interface SendSecretToken {
  kind: 'SendSecretToken';
  serviceID: string;
  protocol: string;
  protocolVersion: string;
  /** The token as the peer meant it (base64 undone when `encoding="base64"`). */
  secretToken: string;
}

export interface LoginRequest {
  kind: 'LoginRequest';
  serviceID: string;
  timeToLiveSeconds?: number;
  /** Raw digest bytes (MD5 of the other side's secret token), base64 undone. */
  passwordDigest: Buffer;
}

export interface LoginResponse {
  kind: 'LoginResponse';
  sessionID: string;
  timeToLiveSeconds?: number;
  status: Status;
}

export interface SetupStatus {
  kind: 'Status';
  status: Status;
}

export type SetupElement = SendSecretToken | LoginRequest | LoginResponse | SetupStatus;

// ---- transactions carried in a Session (§5) ----

export interface SendMessageRequest {
  kind: 'SendMessageRequest';
  deliveryReport: boolean;
  metaInfo?: MetaInfo;
  messageInfo: MessageInfo;
  content?: ContentData;
}

export interface SendMessageResponse {
  kind: 'SendMessageResponse';
  messageID: string;
  status: Status;
}

export interface DeliveryStatusReport {
  kind: 'DeliveryStatusReport';
  metaInfo?: MetaInfo;
  result: Status;
  deliveryTime?: string;
  messageInfo: MessageInfo;
}

export interface SubscribeRequest {
  kind: 'SubscribeRequest';
  metaInfo?: MetaInfo;
  userIDs: string[];
  attributeNames: string[];
}

export interface UnsubscribeRequest {
  kind: 'UnsubscribeRequest';
  metaInfo?: MetaInfo;
  userIDs: string[];
}

export interface PresenceNotification {
  kind: 'PresenceNotification';
  metaInfo?: MetaInfo;
  watcherUserIDs: string[];
  presence: PresenceValue[];
}

export interface GetPresenceRequest {
  kind: 'GetPresenceRequest';
  metaInfo?: MetaInfo;
  userIDs: string[];
  attributeNames: string[];
}

export interface GetPresenceResponse {
  kind: 'GetPresenceResponse';
  presence: PresenceValue[];
  status?: Status;
}

export interface SearchPair {
  element: string;
  value: string;
}

export interface SearchRequest {
  kind: 'SearchRequest';
  metaInfo?: MetaInfo;
  pairs: SearchPair[];
  limit?: number;
}

export interface SearchResponse {
  kind: 'SearchResponse';
  users: Array<{ userID: string; friendlyName?: string }>;
  status: Status;
}

export interface KeepAliveRequest {
  kind: 'KeepAliveRequest';
  timeToLiveSeconds?: number;
}

export interface LogoutRequest {
  kind: 'LogoutRequest';
}

/** A bare `<Status>` transaction: the answer to KeepAlive, Logout, Subscribe, Unsubscribe, notifications, errors. */
export interface StatusTransaction {
  kind: 'Status';
  status: Status;
}

export type TransactionBody =
  | SendMessageRequest
  | SendMessageResponse
  | DeliveryStatusReport
  | SubscribeRequest
  | UnsubscribeRequest
  | PresenceNotification
  | GetPresenceRequest
  | GetPresenceResponse
  | SearchRequest
  | SearchResponse
  | KeepAliveRequest
  | LogoutRequest
  | StatusTransaction;

export type TransactionKind = TransactionBody['kind'];

export interface Transaction {
  mode: Mode;
  transactionID: string;
  body: TransactionBody;
}

/**
 * One transaction of a Session that could not be decoded (unknown element → 501, missing or bad field →
 * 400/402). The other transactions of the same Session are still served.
 */
export interface FaultyTransaction {
  mode: Mode;
  transactionID: string;
  fault: { impsStatus: number; description: string };
}

export interface SetupMessage {
  kind: 'setup';
  mode: Mode;
  transactionID: string;
  body: SetupElement;
}

export interface SessionMessage {
  kind: 'session';
  sessionID: string;
  transactions: Array<Transaction | FaultyTransaction>;
}

export type SspMessage = SetupMessage | SessionMessage;

export function isFaulty(t: Transaction | FaultyTransaction): t is FaultyTransaction {
  return 'fault' in t;
}
