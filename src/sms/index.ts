// SMS termination of IM (seed 000 use cases 2 and 4, seed 002): text encoding, SMPP and Kannel transports.
export { composeSms, type ImTextForSms, type OversizePolicy, type SmsTextPolicy } from './compose-sms';
export { DATA_CODING, SMS_UNIT_LIMITS, type EncodedSms, type SmsEncoding, type SmsSegment, type SmsUnitLimits } from './encoded-sms';
export { encodeGsm7, gsmSeptetsOf, measureGsm7 } from './gsm-alphabet';
export { chooseSmsEncoding, encodeSmsPayload, segmentSmsText, splitSmsText } from './segment-sms-text';
export { buildConcatUdh, concatenationOf, parseUdh, type UdhElement } from './concatenation-udh';
export { ConcatReassembler, type ConcatReassemblerOptions, type ReassembledSms } from './concat-reassembler';
export { normaliseSmscMessageId, type SmscMessageIdFormat } from './normalise-smsc-message-id';
export { parseReceiptText, type ReceiptTextFields } from './parse-receipt-text';
export { isFinalReceiptState, type ReceiptState } from './receipt-state';
export { kannelTransportSchema, smppTransportSchema, smsConfigSchema, smsTextPolicySchema } from './sms-config';
export type { KannelTransportConfig, SmppTransportConfig, SmsConfig } from './sms-config';
export { decodeDeliverSm, type DeliverSmMeaning, type SmscIdFormats } from './decode-deliver-sm';
export { buildSubmitSm, smppAddressOf } from './build-submit-sm';
export { describeSmppStatus, SMPP_STATUS } from './smpp-status';
export { SmppTransport } from './smpp-transport';
export { reconnectDelayMs } from './smpp-link';
export { SubmitWindow, type PartAccepted, type PartOutcome, type SendPart, type SubmitWindowOptions } from './submit-window';
export type {
  ConcatenationInfo,
  DeliveryReceipt,
  MobileOriginatedSms,
  OutboundSms,
  SmsInboundHandler,
  SmsTransport,
  SmsTransportDeps,
  SmsTransportState,
  SubmitResult,
} from './sms-transport';
export { KannelTransport } from './kannel-transport';
export { createKannelCallbackHandler, type KannelCallbackHandler, type KannelCallbackOptions } from './kannel-callback-handler';
export { startKannelCallbackServer, type RunningKannelCallbackServer } from './kannel-callback-server';
export { decodeKannelDlr, decodeKannelMo, encodeDlrReference, type KannelDecoded } from './decode-kannel-callback';
export { smsOnlyPresence } from './sms-only-presence';
export { smsServiceSchema, type SmsRepliesConfig, type SmsSenderConfig, type SmsServiceConfig } from './sms-service-config';
export { ConversationCorrelator, normaliseSmsAddress, type ConversationCorrelatorOptions, type ReplyMatch } from './conversation-correlator';
export { SmsTermination, type SmsTerminationOptions, type SmsTerminationTarget } from './sms-termination';
export { ReceiptReporter, type ReceiptReporterOptions } from './receipt-reporter';
export { MoReplyRouter, type MoReplyRouterOptions } from './mo-reply-router';
export { SMS_ORIGIN, type AdmitSmsTransaction } from './sms-origin';
export { startSmsService, type SmsService, type SmsServiceDeps } from './sms-service';
