package dev.attnsim.actors.blocks.common;

import dev.attnsim.actors.compute.MaskBlock;

/**
 * A scheduled query block: its mask and the token-parallel cost of its SDDMM and SpMM.
 *
 * @param kvBytes K and V bytes fetched from DRAM for this block (0 when resident)
 */
public record AttentionWork(AttentionJob job, MaskBlock mask, long sddmmCycles,
    long spmmCycles, long macs, long kvBytes) {}
