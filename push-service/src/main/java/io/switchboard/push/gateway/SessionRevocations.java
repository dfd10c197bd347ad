package io.switchboard.push.gateway;

import io.switchboard.events.auth.TokenRevocation;
import io.switchboard.platform.apps.AppAccessValidator;
import io.switchboard.platform.apps.AppStateView;
import io.switchboard.platform.directory.UsersView;
import io.switchboard.platform.security.RevocationsView;
import io.switchboard.platform.security.UserAccessValidator;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

import java.util.List;

/**
 * Ends open sessions whose token stopped being acceptable while they were open, as soon as this
 * gateway's views read why: the app suspended or deleted, its certificate revoked (close 4401
 * {@code token revoked}), the user deactivated or deleted (4401 {@code user-deactivated}), signed
 * out everywhere (4401 {@code signed-out}) or the token revoked (4401 {@code token-revoked}). The
 * same checks refuse new handshakes and every API request; this is what reaches the sessions
 * already open. Each check runs on the view's thread and closes without waiting.
 */
@Component
class SessionRevocations {

    /** Close code when the session's token stopped being valid; the reason says why. */
    static final int TOKEN_REFUSED = HandshakeAuthorization.TOKEN_REFUSED;
    static final CloseStatus APP_REVOKED = new CloseStatus(TOKEN_REFUSED, "token revoked");

    private final SessionRegistry sessions;
    private final AppAccessValidator appAccess;
    private final UserAccessValidator userAccess;

    SessionRevocations(SessionRegistry sessions, AppStateView apps, AppAccessValidator appAccess, UsersView users,
                       RevocationsView revocations, UserAccessValidator userAccess) {
        this.sessions = sessions;
        this.appAccess = appAccess;
        this.userAccess = userAccess;
        apps.addListener((appId, previous, current, partition, offset) -> recheck(sessions.sessionsOfApp(appId)));
        users.addListener((key, previous, current, partition, offset) -> {
            int slash = key.indexOf('/');
            if (slash > 0) {
                recheck(sessions.sessionsOf(key.substring(0, slash), key.substring(slash + 1)));
            }
        });
        revocations.addListener((key, previous, current, partition, offset) -> {
            if (current != null) {
                recheck(sessionsOf(current));
            }
        });
    }

    private List<PushSession> sessionsOf(TokenRevocation revocation) {
        return sessions.sessionsOf(revocation.getAppId(), revocation.getUserId());
    }

    private void recheck(List<PushSession> open) {
        for (PushSession session : open) {
            PushPrincipal principal = session.principal();
            if (appAccess.refusal(principal.appId(), principal.certificateId(), principal.issuedAt()).isPresent()) {
                session.close(APP_REVOKED);
                continue;
            }
            userAccess.refusal(principal.appId(), principal.userId(), principal.tokenId(), principal.issuedAt())
                    .ifPresent(refusal -> session.close(new CloseStatus(TOKEN_REFUSED, refusal.code())));
        }
    }
}
