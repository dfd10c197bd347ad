package io.switchboard.auth.kafka;

import io.switchboard.schemas.Topics;

/**
 * Makes a credential real in Kafka, or ends it: its SCRAM user, the ACLs that let it write its
 * app's topics and nothing else, and its quota. One implementation per way Kafka is run
 * ({@link KafkaCredentialsProperties#provisioner()}).
 */
interface KafkaAccess {

    /**
     * What one credential may do.
     *
     * @param username the SCRAM user and principal
     * @param password its password, never logged
     * @param topics   the only topics it may write (and describe)
     */
    record Grant(String username, String password, Topics.AppTopics topics, Quota quota) {

        @Override
        public String toString() {
            return "Grant[username=" + username + ", topics=" + topics.written() + ", quota=" + quota + "]";
        }
    }

    /** Broker-enforced limits of one credential. */
    record Quota(long producerByteRate, double requestPercentage) {
    }

    /** Creates the SCRAM user, its ACLs and its quota; fails with {@link KafkaUnavailableException}. */
    void grant(Grant grant);

    /**
     * Removes the user, its ACLs and its quota: new connections fail authentication at once, and
     * open ones may write nothing more (the ACLs are checked on every request) until the broker
     * closes them at their next re-authentication.
     */
    void revoke(String username);

    /**
     * Refuses the user every topic while its app is suspended: a DENY on all topics, which wins over
     * its ALLOWs. It still logs in, and each write is refused ({@code TopicAuthorizationException}),
     * also on a connection opened before. Doing it twice is the same as once.
     */
    void suspend(String username);

    /** Lifts {@link #suspend}: the user writes its topics again. Resuming a user not suspended does nothing. */
    void resume(String username);
}
