package io.switchboard.platform.security;

/** Names of the claims Switchboard puts into its JWTs beyond the registered ones. */
public final class TokenClaims {

    /** App ID the token belongs to; every request is scoped to it. */
    public static final String APP_ID = "app_id";
    /** {@code app} for app access tokens, {@code user} for user tokens. */
    public static final String TOKEN_USE = "token_use";
    /** Id of the App Certificate the token (or the app token that minted it) was obtained with. */
    public static final String CERTIFICATE_ID = "cert_id";
    /** Device of a user token, if the minting app named one. */
    public static final String DEVICE_ID = "device_id";

    /**
     * The JOSE {@code typ} of every Switchboard access token (RFC 9068): a verifier refuses any
     * other, so no other kind of JWT signed with the same keys can pass for an access token.
     */
    public static final String ACCESS_TOKEN_TYPE = "at+jwt";

    public static final String USE_APP = "app";
    public static final String USE_USER = "user";

    private TokenClaims() {
    }
}
