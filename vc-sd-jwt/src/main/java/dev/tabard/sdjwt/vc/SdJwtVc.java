package dev.tabard.sdjwt.vc;

/** The SD-JWT VC media types (draft-ietf-oauth-sd-jwt-vc §3.1). */
public final class SdJwtVc {

    /** The {@code typ} of an SD-JWT VC, and its format identifier in OpenID4VCI/VP and in trust policies. */
    public static final String TYP = "dc+sd-jwt";
    /** The {@code typ} used until November 2024; accepted only through {@link SdJwtVcVerifier.Builder#acceptLegacyTyp()}. */
    public static final String LEGACY_TYP = "vc+sd-jwt";
    /** The media type of an SD-JWT VC. */
    public static final String MEDIA_TYPE = "application/dc+sd-jwt";

    private SdJwtVc() {
    }
}
