package io.switchboard.membership;

/** What user and conversation ids look like: no '/', since ids are joined with '/' into Kafka keys. */
public final class Ids {

    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}";

    private Ids() {
    }
}
