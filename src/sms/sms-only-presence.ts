// Presence of SMS-only (legacy) users: seed 002 §16.2 and IM-0010/0090/0140 — available, ClientType CLI, StatusText.
import { PRESENCE_NAMESPACE, type PresenceValue, type XmlNode } from '../ssp';

const element = (name: string, children: XmlNode[] = [], text?: string): XmlNode => ({ name, attributes: {}, children, ...(text === undefined ? {} : { text }) });
const qualified = (name: string, ...children: XmlNode[]): XmlNode => element(name, [element('Qualifier', [], 'T'), ...children]);

/**
 * The one presence every SMS-only user shows, whether their operator has IM or not (IM-0090: the two kinds of
 * legacy customer look alike). ClientID carries the MSISDN in international format, as seed 002 recommends.
 */
export function smsOnlyPresence(userID: string, msisdn: string, statusText: string): PresenceValue {
  return {
    userID,
    namespace: PRESENCE_NAMESPACE,
    attributes: [
      qualified('OnlineStatus', element('PresenceValue', [], 'T'), element('ClientID', [], msisdn)),
      qualified('ClientInfo', element('ClientType', [], 'CLI'), element('ClientID', [], msisdn)),
      qualified('UserAvailability', element('PresenceValue', [], 'AVAILABLE')),
      qualified('StatusText', element('PresenceValue', [], statusText)),
    ],
  };
}
