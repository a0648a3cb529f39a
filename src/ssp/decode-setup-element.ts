// Decoders for the session set-up elements of a SetupTransaction (ssp-profile.md §4: dialback handshake).

import type { LoginRequest, LoginResponse, SendSecretToken, SetupElement } from './messages';
import type { XmlElement } from './parse-xml';
import { base64Text, idText, optionalNumber, requireAttribute, requireChild, requireId } from './element-readers';
import { decodeStatus } from './decode-message-parts';
import { SspDecodeError, badParameter, malformed } from './ssp-decode-error';

type SetupDecoder = (element: XmlElement) => SetupElement;

/** The deployed peer writes `procotolVersion` (sic); either spelling is read (§4). */
function protocolVersionOf(element: XmlElement): string {
  const value = element.attributes['protocolVersion'] ?? element.attributes['procotolVersion'];
  if (value === undefined) throw malformed('<SendSecretToken> lacks attribute protocolVersion');
  return value.trim();
}

/** `<SecretToken encoding="base64">` is decoded; without encoding the trimmed text is the token (§4). */
function secretTokenOf(element: XmlElement): string {
  const encoding = element.attributes['encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === 'none') return idText(element);
  if (encoding === 'base64') return base64Text(element).toString('utf8');
  throw badParameter(`<SecretToken encoding="${encoding.slice(0, 40)}"> is not supported`);
}

function decodeSendSecretToken(element: XmlElement): SendSecretToken {
  return {
    kind: 'SendSecretToken',
    serviceID: requireId(element, 'serviceID'),
    protocol: requireAttribute(element, 'protocol').trim(),
    protocolVersion: protocolVersionOf(element),
    secretToken: secretTokenOf(requireChild(element, 'SecretToken')),
  };
}

/** PasswordDigest is binary (MD5), so it is always base64 on the wire. */
function decodeLoginRequest(element: XmlElement): LoginRequest {
  const login: LoginRequest = {
    kind: 'LoginRequest',
    serviceID: requireId(element, 'serviceID'),
    passwordDigest: base64Text(requireChild(element, 'PasswordDigest')),
  };
  const timeToLiveSeconds = optionalNumber(element, 'timeToLive');
  if (timeToLiveSeconds !== undefined) login.timeToLiveSeconds = timeToLiveSeconds;
  return login;
}

function decodeLoginResponse(element: XmlElement): LoginResponse {
  const login: LoginResponse = {
    kind: 'LoginResponse',
    sessionID: requireId(element, 'sessionID'),
    status: decodeStatus(requireChild(element, 'Status')),
  };
  const timeToLiveSeconds = optionalNumber(element, 'timeToLive');
  if (timeToLiveSeconds !== undefined) login.timeToLiveSeconds = timeToLiveSeconds;
  return login;
}

/** Element local name → decoder; built once. */
const SETUP_DECODERS: ReadonlyMap<string, SetupDecoder> = new Map<SetupElement['kind'], SetupDecoder>([
  ['SendSecretToken', decodeSendSecretToken],
  ['LoginRequest', decodeLoginRequest],
  ['LoginResponse', decodeLoginResponse],
  ['Status', (e) => ({ kind: 'Status', status: decodeStatus(e) })],
]);

/** Decode the one set-up element; an unknown one is SSP_NOT_IMPLEMENTED / 501. */
export function decodeSetupElement(element: XmlElement): SetupElement {
  const decode = SETUP_DECODERS.get(element.name);
  if (decode === undefined) {
    throw new SspDecodeError('SSP_NOT_IMPLEMENTED', `${element.name} is not implemented`, { impsStatus: 501 });
  }
  return decode(element);
}
