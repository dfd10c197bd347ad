package io.switchboard.auth.apps;

import io.switchboard.auth.audit.AuditLog;
import io.switchboard.auth.revocations.Revocations;
import io.switchboard.platform.erasure.AppDataEraser;
import io.switchboard.platform.erasure.AppErasures;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.Map;

/**
 * auth-service's part of erasing a deleted app (the app and its certificates went with the
 * deletion itself): its token revocations, tombstoned so every service's view forgets them; and
 * an {@code app.erased} entry in the audit log once the erasure is done, beside the admin's
 * {@code app.deleted}.
 */
@Component
class DeletedApps implements AppDataEraser {

    private final Revocations revocations;
    private final AuditLog audit;

    DeletedApps(Revocations revocations, AuditLog audit) {
        this.revocations = revocations;
        this.audit = audit;
    }

    @Override
    public Map<String, Long> erase(String appId) {
        return Map.of("token_revocations", (long) revocations.forgetApp(appId));
    }

    @EventListener
    @Transactional
    public void erased(AppErasures.AppErased erased) {
        audit.success("system", "app.erased", erased.erasure().appId(), "auth-service: " + erased.erasure().erased());
    }
}
