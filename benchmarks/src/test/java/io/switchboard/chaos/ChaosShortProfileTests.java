package io.switchboard.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's short profile, as CI runs it: every service instance killed at once, a broker
 * killed, the registry frozen, PostgreSQL stopped and a push gateway killed, one after another,
 * under load on a 3-node cluster with two instances of every service. Nothing accepted may be
 * lost, stored or shown twice, or leave a client with a gap; readiness must have gone DOWN where
 * an instance could not serve, and come back UP.
 */
class ChaosShortProfileTests {

    @Test
    void nothingAcceptedIsLostDuplicatedOrLeftWithAGapWhileFaultsHappenUnderLoad() throws Exception {
        Path project = Path.of(System.getProperty("switchboard.project.dir", ".."));
        List<ChaosReport.FaultResult> results = new ChaosRun(ChaosProfile.SHORT, project,
                project.resolve("benchmarks/target/chaos-short.json"), System.out).run();

        assertThat(results).hasSize(1 + ChaosProfile.SHORT.faults().size());
        assertThat(results).allSatisfy(result -> {
            assertThat(result.accepted()).as(result.fault() + ": accepted").isPositive();
            assertThat(result.lost()).as(result.fault() + ": lost").isZero();
            assertThat(result.duplicatesAfterDedupe()).as(result.fault() + ": duplicates after dedupe").isZero();
            assertThat(result.gaps()).as(result.fault() + ": gaps").isZero();
            assertThat(result.delivered()).as(result.fault() + ": delivered").isEqualTo(result.accepted());
        });
        ChaosReport.FaultResult everyInstanceKilled = results.get(1);
        for (String state : List.of("DOWN", "UP")) {
            assertThat(everyInstanceKilled.readiness().stream().filter(change -> change.state().equals(state))
                    .map(ChaosReport.ReadinessChange::instance).distinct())
                    .as("every killed instance's readiness went " + state).hasSize(8);
        }
    }
}
