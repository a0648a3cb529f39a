// Test helper: builds small WV-SSP 1.3 bodies around a fragment (ssp-profile.md §2 envelope).

export const SSP_XMLNS = 'http://www.openmobilealliance.org/DTD/WV-SSP1.3';

/** `<WV-SSP-Message>` around any content. */
export function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><WV-SSP-Message xmlns="${SSP_XMLNS}">${inner}</WV-SSP-Message>`;
}

/** A Session with one Request transaction (transactionID T1) holding `body`. */
export function inSession(body: string, sessionID = 'SB1@imsp-b.test'): string {
  return envelope(`<Session sessionID="${sessionID}"><Transaction mode="Request" transactionID="T1">${body}</Transaction></Session>`);
}

/** A SetupTransaction (transactionID T9) holding `body`. */
export function inSetup(body: string, mode = 'Request'): string {
  return envelope(`<SetupTransaction mode="${mode}" transactionID="T9">${body}</SetupTransaction>`);
}

/** A valid SendMessageRequest with `messageInfo` and `content` replaceable. */
export function sendMessageRequest(
  messageInfo = '<MessageInfo messageID="M1"><Recipient><User userID="wv:bob@imsp-b.test"/></Recipient></MessageInfo>',
  content = '<ContentData encoding="base64">SGk=</ContentData>',
  attributes = ' deliveryReport="No"',
): string {
  return `<SendMessageRequest${attributes}>${messageInfo}${content}</SendMessageRequest>`;
}
