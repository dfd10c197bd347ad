package io.switchboard.platform.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.switchboard.platform.problems.ErrorCode;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.Map;

/**
 * Documents the error side of every operation in the OpenAPI document: the one problem+json
 * schema (with every stable code as an enum) and the 400, 401, 403, 404, 413, 429 and 503 answers, plus
 * the bearer-token security scheme.
 */
@Component
class ProblemResponsesOpenApi implements OpenApiCustomizer {

    private static final String PROBLEM = "Problem";
    private static final Map<String, String> RESPONSES = Map.of(
            "400", "Invalid request (validation-failed, malformed-request, ...)",
            "401", "Missing, invalid, expired or revoked credentials (unauthenticated)",
            "403", "The token lacks the required scope, or the app is suspended (forbidden, app-suspended)",
            "404", "No such resource in the caller's app",
            "413", "Request body too large (payload-too-large)",
            "429", "The app's rate limit is exhausted (rate-limited); see Retry-After",
            "503", "The instance is at capacity (overloaded); retry after Retry-After");

    @Override
    public void customise(OpenAPI openApi) {
        openApi.schema(PROBLEM, problemSchema());
        openApi.getComponents().addSecuritySchemes("bearer", new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT"));
        openApi.addSecurityItem(new SecurityRequirement().addList("bearer"));
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(this::addProblemResponses));
    }

    private void addProblemResponses(Operation operation) {
        RESPONSES.forEach((status, description) -> {
            if (operation.getResponses() != null && !operation.getResponses().containsKey(status)) {
                operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                        .content(new Content().addMediaType("application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
            }
        });
    }

    private static Schema<?> problemSchema() {
        StringSchema code = new StringSchema();
        code.setEnum(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
        return new ObjectSchema()
                .description("RFC 9457 problem details with a stable code")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("code", code);
    }
}
