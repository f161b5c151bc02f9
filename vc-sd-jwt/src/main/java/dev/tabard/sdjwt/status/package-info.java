/**
 * The IETF Token Status List (draft-ietf-oauth-status-list), JWT form: the bit-packed, ZLIB-compressed list
 * ({@link dev.tabard.sdjwt.status.StatusList}), the signed {@code statuslist+jwt}
 * ({@link dev.tabard.sdjwt.status.StatusListToken}), a credential's {@code status.status_list} reference
 * ({@link dev.tabard.sdjwt.status.StatusReference}) and the registered values ({@link dev.tabard.sdjwt.status.TokenStatus}).
 * Inflation is capped: a few hundred kilobytes of {@code lst} must not become gigabytes.
 *
 * <pre>{@code
 * StatusList list = StatusList.of(2, 100_000).with(42, 1);          // entry 42 INVALID
 * String jwt = new StatusListToken(uri, now, Optional.of(exp), Optional.of(Duration.ofHours(1)), list)
 *         .sign(issuerKey, kid, issuerDid);
 * TokenStatus s = StatusListToken.verify(jwt, key, uri, clock, skew).status(42);    // INVALID
 * }</pre>
 */
package dev.tabard.sdjwt.status;
