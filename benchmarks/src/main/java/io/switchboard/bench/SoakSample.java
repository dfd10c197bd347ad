package io.switchboard.bench;

import java.util.Map;

/**
 * What the soak saw at one sample: the traffic of the interval that just ended, each service's JVM
 * and each consumer group's lag.
 *
 * @param elapsedSeconds     when the sample was due, since the soak's traffic started
 * @param acceptedPerSecond  messages stored (answered 201) per second in the interval
 * @param p99DeliveryMillis  send due → frame on a member's connection, p99 over the interval's frames
 * @param openConnections    push connections the load still holds
 * @param services           by module name
 * @param consumerLag        records behind, by consumer group id
 */
record SoakSample(double elapsedSeconds, double acceptedPerSecond, double p99DeliveryMillis, int openConnections,
                  Map<String, ServiceSampler.ServiceFigures> services, Map<String, Long> consumerLag) {
}
