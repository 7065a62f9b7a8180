package dev.attnsim.actors.blocks.common;

/**
 * One query block of one head travelling through a lane's attention path (detection, selection,
 * scheduling, SDDMM, softmax, SpMM).
 *
 * @param kvResidentRows the head's K and V rows {@code [0, kvResidentRows)} stay in the lane's
 *     SRAM; kept keys beyond are fetched from DRAM
 * @param kvAddress DRAM address of the head's K and V rows
 */
public record AttentionJob(int layer, int head, int q0, int rows, int kvResidentRows,
    long kvAddress) {}
