// Writers for the session set-up elements of a SetupTransaction (ssp-profile.md §4).

import type { SendSecretToken, SetupElement } from './messages';
import { encodeStatus } from './encode-message-parts';
import { attribute, element, numberAttribute } from './xml-writers';

/** A token of visible ASCII survives any peer's trimming as raw text (as deployed); anything else goes base64. */
const PLAIN_TOKEN = /^[\x21-\x7e]+$/;

function encodeSecretToken(token: string): string {
  return PLAIN_TOKEN.test(token) && !token.includes('<') && !token.includes('&')
    ? `<SecretToken>${token}</SecretToken>`
    : `<SecretToken encoding="base64">${Buffer.from(token, 'utf8').toString('base64')}</SecretToken>`;
}

function encodeSendSecretToken(body: SendSecretToken): string {
  const attributes = attribute('serviceID', body.serviceID) + attribute('protocol', body.protocol)
    + attribute('protocolVersion', body.protocolVersion);
  return `<SendSecretToken${attributes}>${encodeSecretToken(body.secretToken)}</SendSecretToken>`;
}

/** Write the one set-up element (the spec's spelling `protocolVersion`, never the deployed peer's typo). */
export function encodeSetupElement(body: SetupElement): string {
  switch (body.kind) {
    case 'SendSecretToken':
      return encodeSendSecretToken(body);
    case 'LoginRequest':
      return `<LoginRequest${attribute('serviceID', body.serviceID)}${numberAttribute('timeToLive', body.timeToLiveSeconds)}>`
        + `<PasswordDigest encoding="base64">${body.passwordDigest.toString('base64')}</PasswordDigest></LoginRequest>`;
    case 'LoginResponse':
      return element('LoginResponse', attribute('sessionID', body.sessionID) + numberAttribute('timeToLive', body.timeToLiveSeconds), encodeStatus(body.status));
    case 'Status':
      return encodeStatus(body.status);
  }
}
