/**
 * A simulator of Amazon Bedrock Runtime speaking its real wire protocol: HTTP/1.1 and h2c on one
 * port, a SigV4 header check, {@code application/vnd.amazon.eventstream} frames, Bedrock's strict
 * validation (its own table, never the translator's) and error shapes. Used by dev mode, tests and
 * benchmarks; imports nothing from the rest of the server.
 */
package ccag.server.simulator;
