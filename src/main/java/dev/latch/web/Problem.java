package dev.latch.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An RFC 9457 problem detail. {@code type} is {@code about:blank} for plain HTTP errors and a
 * portal URL for Latch-specific ones; {@code requestId} is an extension member that matches the
 * logs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        @JsonProperty("requestId") String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
