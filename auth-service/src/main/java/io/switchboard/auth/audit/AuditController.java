package io.switchboard.auth.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code GET /v1/audit}: the platform admin reads the audit log, newest first. */
@RestController
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    record AuditPage(List<AuditLog.Entry> entries, Long nextBeforeId) {
    }

    @GetMapping("/v1/audit")
    AuditPage auditLog(@RequestParam(required = false) String appId,
                       @RequestParam(required = false) String action,
                       @RequestParam(required = false) Long beforeId,
                       @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<AuditLog.Entry> entries = audit.query(appId, action, beforeId, limit);
        return new AuditPage(entries, entries.size() == limit ? entries.getLast().id() : null);
    }
}
