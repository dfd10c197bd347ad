package io.switchboard.auth.kafka;

import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Credentials made by auth-service itself with Kafka's Admin API: the local stack, compose, and any
 * Kafka not run by Strimzi. auth-service's principal needs {@code ALTER} (SCRAM users, ACLs) and
 * {@code ALTER_CONFIGS} (quotas) on the cluster.
 */
class AdminApiKafkaAccess implements KafkaAccess {

    /** SCRAM's PBKDF2 rounds: Kafka takes 4,096 to 16,384; more costs each login more. */
    private static final int SCRAM_ITERATIONS = 8192;

    private final Admin admin;

    AdminApiKafkaAccess(Admin admin) {
        this.admin = admin;
    }

    @Override
    public void grant(Grant grant) {
        String principal = principal(grant.username());
        List<AclBinding> acls = new ArrayList<>();
        for (TopicSpec topic : grant.topics().written()) {
            for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
                acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic.name(), PatternType.LITERAL),
                        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
        }
        // the ACLs and quota first: a user that can log in can do only what they allow from its first request
        AdminCalls.await("create the ACLs of " + grant.username(), admin.createAcls(acls).all(), null);
        AdminCalls.await("set the quota of " + grant.username(), admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                quotaEntity(grant.username()), List.of(
                new ClientQuotaAlteration.Op("producer_byte_rate", (double) grant.quota().producerByteRate()),
                new ClientQuotaAlteration.Op("request_percentage", grant.quota().requestPercentage()))))).all(), null);
        AdminCalls.await("create the SCRAM user " + grant.username(), admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion(grant.username(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), grant.password()))).all(),
                null);
    }

    @Override
    public void revoke(String username) {
        // a user that was never created (a grant that failed half way) or is already gone is fine
        AdminCalls.await("delete the SCRAM user " + username, admin.alterUserScramCredentials(List.of(
                new UserScramCredentialDeletion(username, ScramMechanism.SCRAM_SHA_512))).all(),
                ResourceNotFoundException.class);
        AdminCalls.await("delete the ACLs of " + username, admin.deleteAcls(List.of(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal(username), null, AclOperation.ANY, AclPermissionType.ANY)))).all(),
                null);
        // a null value removes the quota
        AdminCalls.await("remove the quota of " + username, admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                quotaEntity(username), List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null),
                new ClientQuotaAlteration.Op("request_percentage", null))))).all(), null);
    }

    @Override
    public void suspend(String username) {
        // creating an ACL that exists already is no error
        AdminCalls.await("deny every topic to " + username, admin.createAcls(List.of(denyEveryTopic(username))).all(), null);
    }

    @Override
    public void resume(String username) {
        AdminCalls.await("lift the denial of every topic to " + username,
                admin.deleteAcls(List.of(denyEveryTopic(username).toFilter())).all(), null);
    }

    /** A DENY of every operation on every topic ({@code *} as a literal name is Kafka's wildcard). */
    private static AclBinding denyEveryTopic(String username) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL),
                new AccessControlEntry(principal(username), "*", AclOperation.ALL, AclPermissionType.DENY));
    }

    private static String principal(String username) {
        return "User:" + username;
    }

    private static ClientQuotaEntity quotaEntity(String username) {
        return new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, username));
    }
}
