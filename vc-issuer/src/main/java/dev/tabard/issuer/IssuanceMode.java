package dev.tabard.issuer;

/**
 * How much of a caller's document the VC-API issue endpoint signs as written. Whatever the mode, every signed
 * credential is audited, and an AgentCredential is signed only within the registry's grant, never in the open mode.
 */
public enum IssuanceMode {
    /**
     * Every bound holds: the dates stay within {@link ValidityBounds}, a {@code credentialStatus} the caller wrote is
     * refused (status entries come from this issuer), AgentCredentials are checked against the registry.
     */
    BOUNDED,
    /**
     * For the open VC-API of a local W3C conformance run: plain credentials are signed with the caller's dates and
     * {@code credentialStatus} as written, since the suites' inputs that must be issued carry dates from 2010 to 4023
     * and status entries of their own. Gives up the date bounds and the refusal of caller-written status; signs no
     * AgentCredential and no delegation, whatever the body.
     */
    CONFORMANCE_RUN_SIGNS_CALLER_DATES_AND_STATUS
}
