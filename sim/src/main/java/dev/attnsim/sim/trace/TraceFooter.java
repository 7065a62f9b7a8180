package dev.attnsim.sim.trace;

/**
 * The footer line: how the run ended.
 *
 * @param status {@code ok}, {@code deadlock} or {@code aborted}
 * @param events the number of event lines the writer wrote
 * @param cycles the run's length
 */
public record TraceFooter(String status, long events, long cycles) {}
