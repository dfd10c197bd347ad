package io.switchboard.membership.directory;

import java.time.Instant;

/** A department (in a tree) or a tag (flat) of an app's directory. */
public record DirectoryGroup(String appId, String groupId, Kind kind, String name, String parentId,
                             Instant createdAt, Instant updatedAt) {

    public enum Kind { DEPARTMENT, TAG }
}
