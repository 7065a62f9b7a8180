package dev.attnsim.sim.config;

/** Whether and how the trace is written ({@code attnsim.trace}). */
public record TraceSettings(boolean enabled, boolean gzip) {}
