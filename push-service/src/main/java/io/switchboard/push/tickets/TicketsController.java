package io.switchboard.push.tickets;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.platform.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

/** {@code POST /v1/ws/tickets}: a user's token, sent in the Authorization header, for a one-use WebSocket ticket. */
@RestController
class TicketsController {

    private final Tickets tickets;

    TicketsController(Tickets tickets) {
        this.tickets = tickets;
    }

    record TicketResponse(String ticket, Instant expiresAt) {
    }

    @Operation(summary = "A one-use ticket to open the push WebSocket with",
            description = "For browsers, whose WebSocket cannot send an Authorization header: open /v1/ws?ticket=<ticket> "
                    + "within 30 s. The ticket opens one session, as the token it was issued for (verified again then); "
                    + "nothing reusable appears in the URL. Other clients send the token in the handshake's Authorization "
                    + "header instead.")
    @PostMapping("/v1/ws/tickets")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_push:connect')")
    TicketResponse issue(JwtAuthenticationToken authentication) {
        Caller.of(authentication).userId();   // a user's token: an app token never connects
        Tickets.Ticket ticket = tickets.issue(authentication.getToken().getTokenValue());
        return new TicketResponse(ticket.ticket(), ticket.expiresAt());
    }
}
