package io.switchboard.push.gateway;

import io.switchboard.events.auth.AppState;
import io.switchboard.events.presence.PresenceSession;
import io.switchboard.platform.apps.AppStateView;
import io.switchboard.push.PushProperties;
import io.switchboard.push.views.PresenceView;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The app's cap on devices per user ({@code maxDevicesPerUser} of its state on {@code auth.apps}):
 * a session of a device the user is not connected with yet is refused once the user is connected
 * with that many devices, on this gateway or others (from the presence view). More sessions of a
 * device already connected are not counted again: a browser with two tabs is one device.
 * <p>Two devices connecting at the same instant through two different gateways may both pass: each
 * gateway sees the other's session only once its presence arrives. On one gateway the check and
 * the registration of the session are atomic.
 */
@Component
class DeviceLimit {

    /** Close code for a session of one device too many: sign out on another device first. */
    static final CloseStatus TOO_MANY_DEVICES = new CloseStatus(4429, "too many devices");

    private final AppStateView apps;
    private final PresenceView presence;
    private final SessionRegistry sessions;
    private final int gateway;

    DeviceLimit(AppStateView apps, PresenceView presence, SessionRegistry sessions, PushProperties properties) {
        this.apps = apps;
        this.presence = presence;
        this.sessions = sessions;
        this.gateway = properties.gatewayOrdinal();
    }

    /** Registers the session unless it is of one device too many; false if it was refused. */
    synchronized boolean admit(PushSession session) {
        Integer max = apps.find(session.appId()).map(AppState::getMaxDevicesPerUser).orElse(null);
        if (max != null) {
            Set<String> devices = connectedDevices(session);
            if (!devices.contains(device(session.deviceId())) && devices.size() >= max) {
                return false;
            }
        }
        sessions.add(session);
        return true;
    }

    private Set<String> connectedDevices(PushSession session) {
        Set<String> devices = new HashSet<>();
        for (PresenceSession elsewhere : presence.sessions(session.appId(), session.userId())) {
            if (elsewhere.getGateway() != gateway) {
                devices.add(device(elsewhere.getDeviceId()));
            }
        }
        for (PushSession here : sessions.sessionsOf(session.appId(), session.userId())) {
            devices.add(device(here.deviceId()));
        }
        return devices;
    }

    /** Tokens without a device id all count as one device. */
    private static String device(String deviceId) {
        return Objects.requireNonNullElse(deviceId, "");
    }
}
