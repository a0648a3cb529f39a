// XML namespaces of the OMA IMPS 1.3 documents the gateway writes (ssp-profile.md §2 envelope, §5 presence).

/** Default namespace of every WV-SSP 1.3 message. */
export const SSP_NAMESPACE = 'http://www.openmobilealliance.org/DTD/WV-SSP1.3';

/** Namespace of PresenceSubList (OMA IMPS Presence Attributes 1.2). */
export const PRESENCE_NAMESPACE = 'http://www.openmobilealliance.org/DTD/WV-PA1.2';
