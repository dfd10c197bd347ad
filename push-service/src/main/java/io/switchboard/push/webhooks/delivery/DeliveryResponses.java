package io.switchboard.push.webhooks.delivery;

/**
 * Acts on what an endpoint answered to a successful delivery of some event type (a card action's
 * answer may update the card). Called after the delivery is settled, on the attempt's thread.
 */
public interface DeliveryResponses {

    /** Whether this handles answers to deliveries of {@code eventType}. */
    boolean handles(String eventType);

    /**
     * @param eventBody    the delivered JSON body
     * @param responseBody the first {@code max-response-bytes} of the endpoint's answer
     */
    void answered(String appId, String endpointId, byte[] eventBody, byte[] responseBody);
}
