/**
 * The JSON shapes of the tether daemon's REST API, as records. Field names are the records'
 * component names in snake_case ({@code idleTimeout} is {@code idle_timeout}); absent values are
 * left out of the JSON. Durations travel as strings ({@code "10s"} or ISO-8601 {@code "PT10S"}) in
 * requests and as milliseconds ({@code *_ms}) in responses; instants as ISO-8601 UTC.
 */
package dev.tether.client.api;
