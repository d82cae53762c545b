package dev.tether.app.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.client.api.ApiError;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reading requests and writing answers the one way the API does it. */
final class Http {
    /** Request bodies above this are refused with 413. */
    static final long MAX_BODY = 1024 * 1024;
    /** The largest refused body still read to its end before the 413 is sent. */
    private static final long DRAIN_LIMIT = 16 * MAX_BODY;
    static final String JSON = "application/json";

    private final ObjectMapper mapper;

    Http(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** The body of a request that must carry JSON: 415 for another type, 413 when too large. */
    byte[] jsonBody(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith(JSON)) {
            throw new ApiException(415, "unsupported_media_type", "send the body as JSON with 'Content-Type: application/json'"
                    + (type == null ? " (none was given)" : ", not '" + type + "'"));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY) {
            drain(ctx, declared);
            throw tooLarge(declared);
        }
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            if (e.getStatus() == 413) {
                throw tooLarge(-1);
            }
            throw e;
        }
    }

    /**
     * Reads and drops a refused body of up to {@link #DRAIN_LIMIT} bytes. A client still sending
     * it then gets to read the 413, instead of a connection closed under it ("received no bytes").
     */
    private static void drain(Context ctx, long declared) {
        if (declared > DRAIN_LIMIT) {
            return; // not worth reading: the connection is closed after the answer
        }
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = ctx.req().getInputStream();
            while (in.read(buf) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // the client gave up sending: nothing to drain
        }
    }

    static ApiException tooLarge(long size) {
        return new ApiException(413, "body_too_large", "the body" + (size >= 0 ? " (" + size + " bytes)" : "")
                + " is over the limit of " + MAX_BODY + " bytes (1 MiB)");
    }

    void json(Context ctx, int status, Object value) {
        ctx.status(status).contentType(JSON).result(bytes(value));
    }

    byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    void error(Context ctx, ApiException e) {
        json(ctx, e.status, new ApiError(new ApiError.Detail(e.code, e.getMessage(), e.logTail, e.holders)));
        if (e.status == 405) {
            Object allowed = ctx.attribute("tether.allow");
            ctx.header("Allow", String.valueOf(allowed));
        }
    }

    /** A boolean query parameter: absent is false; anything but true/false is a 400 naming it. */
    static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest("invalid_parameter", "query parameter '" + name + "' must be true or false, got '" + v + "'");
        };
    }

    /** An integer query parameter within bounds, or its default. */
    static int integer(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw ApiException.badRequest("invalid_parameter", "query parameter '" + name + "' must be " + min + ".." + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter", "query parameter '" + name + "' must be an integer, got '" + v + "'");
        }
    }
}
