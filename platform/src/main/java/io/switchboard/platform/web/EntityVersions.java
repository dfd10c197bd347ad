package io.switchboard.platform.web;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;

/**
 * Optimistic concurrency over HTTP: a resource's version is its ETag ({@code "3"}), and a change
 * may name the version it was based on in {@code If-Match}.
 */
public final class EntityVersions {

    private EntityVersions() {
    }

    public static String eTag(long version) {
        return "\"" + version + "\"";
    }

    /** The version in an If-Match header ({@code "3"}, {@code W/"3"} or {@code 3}), or {@code null} without one. */
    public static Long ifMatch(String header, String resource) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        try {
            return Long.parseLong(value.replace("\"", ""));
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "If-Match must name a " + resource + " version, e.g. \"2\"");
        }
    }
}
