package io.switchboard.auth.certificates;

import org.springframework.stereotype.Component;

import java.util.List;

/** Which certificates of an app are active: what {@code auth.apps} announces. */
@Component
public class CertificateIds {

    private final CertificateStore store;

    CertificateIds(CertificateStore store) {
        this.store = store;
    }

    public List<String> active(String appId) {
        return store.activeIds(appId);
    }
}
